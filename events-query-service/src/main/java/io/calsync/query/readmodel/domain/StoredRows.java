package io.calsync.query.readmodel.domain;

import java.util.List;

/**
 * The stored rows of a batch's {@link RowKeys}, as read in its transaction (absent: none stored).
 */
public record StoredRows(
    List<ConnectionRow> connections, List<CalendarRow> calendars, List<EventRow> events) {

  public StoredRows {
    connections = List.copyOf(connections);
    calendars = List.copyOf(calendars);
    events = List.copyOf(events);
  }
}
