package io.calsync.contract.http;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code GET /api/calendar/events/upcoming/}: events overlapping {@code [window.from, window.to)}.
 */
public record UpcomingEventsResponse(List<UpcomingEvent> events, Window window) {

  /** The window, in the requested time zone. */
  public record Window(OffsetDateTime from, OffsetDateTime to) {}
}
