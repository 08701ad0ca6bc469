package io.calsync.sync.model;

/** What Google's calendar list says about one calendar. */
public record CalendarAttributes(
    String providerCalendarId,
    String name,
    String color,
    String timeZone,
    String accessRole,
    boolean primary) {}
