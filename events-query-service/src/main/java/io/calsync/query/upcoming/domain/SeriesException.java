package io.calsync.query.upcoming.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A row that replaces one instance of a series: a moved or edited instance, a cancelled instance or
 * its tombstone. It is matched to the generated instance by series and original start.
 */
public record SeriesException(
    UUID connectionId,
    UUID calendarId,
    String recurringEventId,
    Instant originalStartAt,
    LocalDate originalStartDate) {

  /** The key of the series this exception belongs to. */
  public SeriesKey series() {
    return new SeriesKey(connectionId, calendarId, recurringEventId);
  }

  /** Identifies a series master across calendars and connections. */
  public record SeriesKey(UUID connectionId, UUID calendarId, String eventId) {

    public static SeriesKey of(StoredEvent master) {
      return new SeriesKey(master.connectionId(), master.calendarId(), master.eventId());
    }
  }

  /** The original start as a value comparable with a generated instance's start. */
  public Object originalStart() {
    return originalStartAt != null ? originalStartAt : originalStartDate;
  }
}
