package io.calsync.contract.http;

import java.util.UUID;

/**
 * One event or one instance of a series. {@code start}/{@code end} are RFC 3339 date-times in the
 * requested zone for timed events, or dates ({@code 2026-11-24}, end exclusive) when {@code
 * all_day}. An instance's {@code id} is {@code <series id>_<UTC start yyyyMMdd'T'HHmmss'Z'>} (or
 * {@code _<yyyyMMdd>} for all-day series), as Google names them. {@code free_busy_only}: the
 * event's calendar is shared with the account as free/busy only, so Google told only when it is
 * busy: its {@code title} is {@code "busy"}, and it has no description or location.
 */
public record UpcomingEvent(
    String id,
    UUID connectionId,
    UUID calendarId,
    String calendarName,
    String provider,
    String title,
    String description,
    String location,
    String start,
    String end,
    boolean allDay,
    String timeZone,
    String status,
    String htmlLink,
    String color,
    String recurringEventId,
    boolean freeBusyOnly) {}
