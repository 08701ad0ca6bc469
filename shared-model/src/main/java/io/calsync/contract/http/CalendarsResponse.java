package io.calsync.contract.http;

import java.util.List;

/** {@code GET /api/calendar/calendars/}. */
public record CalendarsResponse(List<CalendarResponse> calendars) {}
