package io.calsync.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The bucket arithmetic and the bound on memory, without Spring. */
class UserRateLimiterTests {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T08:00:00Z"), ZoneOffset.UTC);

  private static UserRateLimiter limiter(
      long requests, Duration period, long burst, long trackedUsers) {
    return new UserRateLimiter(
        new LimitsProperties(
            DataSize.ofKilobytes(64),
            new LimitsProperties.UserRate(
                requests, period, burst, trackedUsers, Duration.ofMinutes(10))),
        CLOCK);
  }

  @Test
  void theDefaultRateLetsABurstOf40ThroughThenAsksToWaitOneSecond() {
    UserRateLimiter limiter = limiter(20, Duration.ofSeconds(1), 40, 100_000);
    for (int i = 0; i < 40; i++) {
      assertThat(limiter.tryAcquire("alice")).as("request %d", i).isZero();
    }
    // the next token comes after 50 ms: Retry-After is rounded up to a whole second
    assertThat(limiter.tryAcquire("alice")).isEqualTo(1);
    assertThat(limiter.tryAcquire("bob")).isZero();
  }

  @Test
  void atMostTrackedUsersBucketsAreKept() {
    UserRateLimiter limiter = limiter(20, Duration.ofSeconds(1), 40, 3);
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire("user-" + i);
    }
    assertThat(limiter.trackedUsers()).isLessThanOrEqualTo(3);
  }
}
