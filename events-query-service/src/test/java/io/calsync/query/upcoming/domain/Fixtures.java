package io.calsync.query.upcoming.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Builders of stored rows for the pure tests. */
final class Fixtures {

  static final UUID CONNECTION = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
  static final UUID CALENDAR = UUID.fromString("00000000-0000-0000-0000-0000000000ca");

  private Fixtures() {}

  static When at(String rfc3339, String zone) {
    OffsetDateTime t = OffsetDateTime.parse(rfc3339);
    return When.timed(t.toInstant(), t.getOffset(), zone);
  }

  static StoredEvent timed(String id, String start, String end, String zone) {
    return new StoredEvent(
        CONNECTION,
        CALENDAR,
        id,
        "confirmed",
        "t-" + id,
        null,
        null,
        at(start, zone),
        at(end, zone),
        false,
        null,
        null,
        "https://example.test/" + id,
        "Work",
        "#0b8043",
        "Europe/Berlin",
        false);
  }

  static StoredEvent exception(String id, String series, String start, String end, String zone) {
    StoredEvent e = timed(id, start, end, zone);
    return new StoredEvent(
        e.connectionId(),
        e.calendarId(),
        id,
        "confirmed",
        "moved",
        null,
        null,
        e.start(),
        e.end(),
        false,
        null,
        series,
        null,
        "Work",
        "#0b8043",
        "Europe/Berlin",
        false);
  }

  static StoredEvent allDay(String id, String start, String endExclusive, String calendarZone) {
    return new StoredEvent(
        CONNECTION,
        CALENDAR,
        id,
        "confirmed",
        "d-" + id,
        null,
        null,
        When.allDay(LocalDate.parse(start), null),
        When.allDay(LocalDate.parse(endExclusive), null),
        true,
        null,
        null,
        null,
        "Home",
        "#000000",
        calendarZone,
        false);
  }

  static StoredEvent series(
      String id, String start, String end, String zone, String... recurrence) {
    StoredEvent e = timed(id, start, end, zone);
    return new StoredEvent(
        e.connectionId(),
        e.calendarId(),
        id,
        "confirmed",
        "weekly",
        null,
        null,
        e.start(),
        e.end(),
        false,
        List.of(recurrence),
        null,
        null,
        "Work",
        "#0b8043",
        "Europe/Berlin",
        false);
  }

  static StoredEvent allDaySeries(
      String id, String start, String endExclusive, String calendarZone, String... recurrence) {
    StoredEvent e = allDay(id, start, endExclusive, calendarZone);
    return new StoredEvent(
        e.connectionId(),
        e.calendarId(),
        id,
        "confirmed",
        "daily",
        null,
        null,
        e.start(),
        e.end(),
        true,
        List.of(recurrence),
        null,
        null,
        "Home",
        "#000000",
        calendarZone,
        false);
  }

  static SeriesException cancelledAt(String series, String originalStart) {
    return new SeriesException(
        CONNECTION, CALENDAR, series, OffsetDateTime.parse(originalStart).toInstant(), null);
  }

  static SeriesException cancelledOn(String series, String date) {
    return new SeriesException(CONNECTION, CALENDAR, series, null, LocalDate.parse(date));
  }

  static Instant instant(String rfc3339) {
    return OffsetDateTime.parse(rfc3339).toInstant();
  }
}
