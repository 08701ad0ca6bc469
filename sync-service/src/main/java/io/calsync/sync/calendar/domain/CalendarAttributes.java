package io.calsync.sync.calendar.domain;

/** What Google's calendar list says about one calendar. */
public record CalendarAttributes(
    String providerCalendarId,
    String name,
    String color,
    String timeZone,
    String accessRole,
    boolean primary) {}
