package io.calsync.query.support;

import io.calsync.contract.testing.MutableClock;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Test-only beans: shared-model's settable clock (primary over the system clock). */
@TestConfiguration(proxyBeanMethods = false)
public class TestBeans {

  /** What "now" is when a test starts (set before each test by {@link ClockAtNow}). */
  public static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  @Bean
  @Primary
  MutableClock testClock() {
    return MutableClock.stoppedAt(NOW);
  }
}
