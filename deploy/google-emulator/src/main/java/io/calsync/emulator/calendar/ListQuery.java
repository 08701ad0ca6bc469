package io.calsync.emulator.calendar;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The validated parameters of one events.list request. */
record ListQuery(
    int maxResults,
    String pageToken,
    String syncToken,
    boolean showDeleted,
    boolean singleEvents,
    Instant timeMin,
    Instant timeMax,
    String orderBy,
    Instant updatedMin,
    String q,
    String iCalUID,
    List<String> privateExtendedProperty,
    List<String> sharedExtendedProperty,
    Set<String> eventTypes,
    String timeZone) {}
