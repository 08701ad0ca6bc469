package io.calsync.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * One Bucket4j token bucket per user, in a Caffeine cache bounded in size and expiring after
 * idleness, so memory stays bounded whatever the number of users. Buckets are in-memory and
 * lock-free: the limit holds per gateway instance (N instances allow N times the rate). Time comes
 * from the injected {@link Clock}.
 */
@Component
class UserRateLimiter {

  private final LimitsProperties.UserRate rate;
  private final TimeMeter time;
  private final Cache<String, Bucket> buckets;

  UserRateLimiter(LimitsProperties properties, Clock clock) {
    this.rate = properties.userRate();
    this.time = new ClockTimeMeter(clock);
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(rate.trackedUsers())
            .expireAfterAccess(rate.idleExpiry())
            .build();
  }

  /**
   * Takes one request from the user's bucket: 0 when it may go on, otherwise the whole seconds (at
   * least 1) until the next token.
   */
  long tryAcquire(String user) {
    ConsumptionProbe probe = buckets.get(user, this::newBucket).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return 0;
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L);
    return Math.max(1, seconds);
  }

  /** How many users' buckets are kept now (after pending evictions). */
  long trackedUsers() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  private Bucket newBucket(String user) {
    return Bucket.builder()
        .addLimit(
            limit -> limit.capacity(rate.burst()).refillGreedy(rate.requests(), rate.period()))
        .withCustomTimePrecision(time)
        .build();
  }

  /** Bucket4j's clock, read from the injected {@link Clock} in nanoseconds since the epoch. */
  private record ClockTimeMeter(Clock clock) implements TimeMeter {

    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
