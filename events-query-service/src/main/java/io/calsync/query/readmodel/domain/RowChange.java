package io.calsync.query.readmodel.domain;

import java.util.UUID;

/** One write the projector decided on; the row stores carry it out as it says, deciding nothing. */
public sealed interface RowChange {

  /** Insert or overwrite the connection's row with this one. */
  record PutConnection(ConnectionRow row) implements RowChange {}

  /** Insert or overwrite the calendar's row with this one. */
  record PutCalendar(CalendarRow row) implements RowChange {}

  /** Insert or overwrite the event's row with this one. */
  record PutEvent(EventRow row) implements RowChange {}

  /** Delete the calendar's events, tombstones too. */
  record DeleteEventsOfCalendar(UUID connectionId, UUID calendarId) implements RowChange {}

  /** Delete the calendar's events (tombstones too) of generations below {@code generation}. */
  record DeleteEventsBefore(UUID connectionId, UUID calendarId, long generation)
      implements RowChange {}

  /** Delete the connection's events and calendars (its own row stays, as a tombstone). */
  record DeleteRowsOfConnection(UUID connectionId) implements RowChange {}
}
