package io.calsync.contract.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code PATCH /api/calendar/calendars/{id}/}: {@code selected} (true/false), {@code color} (the
 * user's colour for the calendar as {@code #rrggbb}), or both; a field left out is not changed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CalendarPatchRequest(Boolean selected, String color) {}
