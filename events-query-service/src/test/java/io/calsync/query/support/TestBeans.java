package io.calsync.query.support;

import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Test-only beans: the settable clock (primary over the system clock). */
@TestConfiguration(proxyBeanMethods = false)
public class TestBeans {

  public static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  @Bean
  @Primary
  TestClock testClock() {
    return new TestClock(NOW);
  }
}
