package io.calsync.query.readmodel.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code calendars}. {@code updatedAt} is the {@code occurred_at} of the calendar message
 * that last wrote it (null when only snapshot messages have); the generations are null until the
 * first snapshot started or completed. {@code accessRole} is the account's role on the calendar
 * ({@code owner}, {@code writer}, {@code reader}, {@code freeBusyReader}; null until announced).
 */
public record CalendarRow(
    UUID connectionId,
    UUID calendarId,
    String userId,
    String name,
    String color,
    String timeZone,
    String accessRole,
    boolean selected,
    boolean removed,
    Long snapshotGeneration,
    Long completedGeneration,
    OffsetDateTime updatedAt) {

  /** Whether its events are kept: a calendar not announced yet counts as shown. */
  static boolean shows(CalendarRow calendar) {
    return calendar == null || (calendar.selected() && !calendar.removed());
  }
}
