package io.calsync.contract.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one test clock of every module: a base clock shifted by an offset the test controls. {@code
 * new MutableClock()} runs with the system clock (for tests beside real brokers and databases,
 * whose own time keeps going); {@link #stoppedAt} stands still until the test moves it. {@link
 * #reset} after each test.
 */
public final class MutableClock extends Clock {

  private final Clock base;
  private volatile Duration offset = Duration.ZERO;

  public MutableClock() {
    this(Clock.systemUTC());
  }

  private MutableClock(Clock base) {
    this.base = base;
  }

  public static MutableClock stoppedAt(Instant instant) {
    return new MutableClock(Clock.fixed(instant, ZoneOffset.UTC));
  }

  public void advance(Duration amount) {
    offset = offset.plus(amount);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** A view in another zone that still follows this clock, offset and all. */
  @Override
  public Clock withZone(ZoneId zone) {
    MutableClock source = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return source.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return source.withZone(other);
      }
    };
  }
}
