package io.calsync.contract.http;

/** {@code PATCH /api/calendar/calendars/{id}/}; {@code selected} is required. */
public record CalendarPatchRequest(Boolean selected) {}
