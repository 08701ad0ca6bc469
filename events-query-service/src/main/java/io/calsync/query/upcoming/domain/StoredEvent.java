package io.calsync.query.upcoming.domain;

import java.util.List;
import java.util.UUID;

/**
 * A visible row of the read model joined with its calendar: a single event, an exception of a
 * series ({@code recurringEventId} set) or a series master ({@code recurrence} set). {@code
 * freeBusyOnly}: its calendar is shared with the account as {@code freeBusyReader}, so Google gives
 * only its times and status, no title or details.
 */
public record StoredEvent(
    UUID connectionId,
    UUID calendarId,
    String eventId,
    String status,
    String title,
    String description,
    String location,
    When start,
    When end,
    boolean allDay,
    List<String> recurrence,
    String recurringEventId,
    String htmlLink,
    String calendarName,
    String color,
    String calendarTimeZone,
    boolean freeBusyOnly) {

  public boolean isSeriesMaster() {
    return recurrence != null && !recurrence.isEmpty();
  }
}
