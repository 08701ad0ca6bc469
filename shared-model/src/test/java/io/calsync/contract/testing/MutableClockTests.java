package io.calsync.contract.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class MutableClockTests {

  private static final Instant START = Instant.parse("2026-11-23T08:00:00Z");

  @Test
  void whenStoppedThenTimeMovesOnlyWhenTheTestMovesIt() {
    MutableClock clock = MutableClock.stoppedAt(START);
    assertThat(clock.instant()).isEqualTo(START);

    clock.advance(Duration.ofMinutes(5));
    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)));

    clock.reset();
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void whenRunningThenTheOffsetShiftsTheSystemClock() {
    MutableClock clock = new MutableClock();
    clock.advance(Duration.ofDays(1));
    assertThat(clock.instant()).isAfter(Instant.now().plus(Duration.ofHours(23)));
  }

  @Test
  void whenViewedInAnotherZoneThenTheViewFollowsLaterMoves() {
    MutableClock clock = MutableClock.stoppedAt(START);
    var berlin = clock.withZone(ZoneId.of("Europe/Berlin"));
    clock.advance(Duration.ofSeconds(30));
    assertThat(berlin.instant()).isEqualTo(START.plusSeconds(30));
    assertThat(berlin.getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
  }
}
