package io.calsync.query.readmodel.domain;

import java.util.Set;
import java.util.UUID;

/**
 * The rows a batch of messages is about, to be read in its transaction before it is projected:
 * connections by id, calendars by (connection, calendar), events by (connection, calendar, event).
 */
public record RowKeys(Set<UUID> connections, Set<CalendarKey> calendars, Set<EventKey> events) {

  public RowKeys {
    connections = Set.copyOf(connections);
    calendars = Set.copyOf(calendars);
    events = Set.copyOf(events);
  }

  /** The key of a row of {@code calendars}. */
  public record CalendarKey(UUID connectionId, UUID calendarId) {}

  /** The key of a row of {@code events}. */
  public record EventKey(UUID connectionId, UUID calendarId, String eventId) {}
}
