package io.calsync.query.upcoming.domain;

import static io.calsync.query.upcoming.domain.Fixtures.instant;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.UpcomingEvent;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowTests {

  private final Window window =
      Window.of(instant("2026-11-24T10:00:00Z"), ZoneId.of("Europe/Berlin"), 7);

  @Test
  void shouldSpanTheDaysInTheCallersZone() {
    assertThat(window.from().toOffsetDateTime().toString()).isEqualTo("2026-11-24T11:00+01:00");
    assertThat(window.to().toOffsetDateTime().toString()).isEqualTo("2026-12-01T11:00+01:00");
  }

  @Test
  void whenDstChangesInsideTheWindowThenItKeepsTheLocalTime() {
    Window overChange = Window.of(instant("2026-10-22T10:00:00Z"), ZoneId.of("Europe/Berlin"), 7);
    assertThat(overChange.to().toOffsetDateTime().toString()).isEqualTo("2026-10-29T12:00+01:00");
  }

  @Test
  void whenTimedEventIsInProgressThenItOverlaps() {
    assertThat(window.overlaps(instant("2026-11-24T09:00:00Z"), instant("2026-11-24T10:30:00Z")))
        .isTrue();
  }

  @Test
  void whenTimedEventEndsAtTheStartOfTheWindowThenItDoesNotOverlap() {
    assertThat(window.overlaps(instant("2026-11-24T09:00:00Z"), instant("2026-11-24T10:00:00Z")))
        .isFalse();
  }

  @Test
  void whenTimedEventStartsAtTheEndOfTheWindowThenItDoesNotOverlap() {
    assertThat(window.overlaps(instant("2026-12-01T10:00:00Z"), instant("2026-12-01T11:00:00Z")))
        .isFalse();
    assertThat(window.overlaps(instant("2026-12-01T09:59:59Z"), instant("2026-12-01T11:00:00Z")))
        .isTrue();
  }

  @Test
  void whenZeroLengthEventIsAtTheStartThenItOverlaps() {
    assertThat(window.overlaps(instant("2026-11-24T10:00:00Z"), instant("2026-11-24T10:00:00Z")))
        .isTrue();
    assertThat(window.overlaps(instant("2026-11-24T09:59:59Z"), instant("2026-11-24T09:59:59Z")))
        .isFalse();
  }

  @Test
  void whenAllDayEventIsTodayThenItOverlapsEvenThoughTodayBegan() {
    assertThat(window.overlaps(LocalDate.parse("2026-11-24"), LocalDate.parse("2026-11-25")))
        .isTrue();
    assertThat(window.overlaps(LocalDate.parse("2026-11-23"), LocalDate.parse("2026-11-24")))
        .isFalse();
  }

  @Test
  void whenAllDayEventIsOnTheLastPartialDayThenItOverlaps() {
    // the window ends at 11:00 on 1 December: that day has begun, the next has not
    assertThat(window.lastDate()).isEqualTo(LocalDate.parse("2026-12-01"));
    assertThat(window.overlaps(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02")))
        .isTrue();
    assertThat(window.overlaps(LocalDate.parse("2026-12-02"), LocalDate.parse("2026-12-03")))
        .isFalse();
  }

  @Test
  void whenWindowEndsAtMidnightThenThatDateIsOutside() {
    Window midnight = Window.of(instant("2026-11-23T23:00:00Z"), ZoneId.of("Europe/Berlin"), 1);
    assertThat(midnight.lastDate()).isEqualTo(LocalDate.parse("2026-11-24"));
    assertThat(midnight.overlaps(LocalDate.parse("2026-11-25"), LocalDate.parse("2026-11-26")))
        .isFalse();
  }

  @Test
  void whenDatesAreComparedThenTheCallersZoneDecidesNotUtc() {
    // 20:00 on 24 November in Los Angeles is 25 November in UTC: an all-day event of the 24th is
    // still today
    Window la = Window.of(instant("2026-11-25T04:00:00Z"), ZoneId.of("America/Los_Angeles"), 1);
    StoredEvent today = Fixtures.allDay("today", "2026-11-24", "2026-11-25", "America/Los_Angeles");
    StoredEvent tomorrow =
        Fixtures.allDay("tomorrow", "2026-11-25", "2026-11-26", "America/Los_Angeles");
    StoredEvent timed =
        Fixtures.timed(
            "timed",
            "2026-11-24T21:00:00-08:00",
            "2026-11-24T22:00:00-08:00",
            "America/Los_Angeles");

    List<UpcomingEvent> events =
        new UpcomingEventsAssembler()
            .assemble(
                la,
                10,
                new OccurrenceBuilder(new RecurrenceExpander(100))
                    .build(la, List.of(tomorrow, timed, today), List.of(), List.of())
                    .occurrences());

    assertThat(events).extracting(UpcomingEvent::id).containsExactly("today", "timed", "tomorrow");
    assertThat(events.get(1).start()).isEqualTo("2026-11-24T21:00:00-08:00");
  }
}
