package io.calsync.query.upcoming.domain;

import java.time.Instant;

/**
 * One entry of the upcoming list before rendering: a stored event or a generated instance of a
 * series, with its own id, start and end, and the instant used to order it in the caller's zone.
 */
public record Occurrence(
    String id,
    StoredEvent source,
    When start,
    When end,
    String timeZone,
    String recurringEventId,
    Instant sortKey) {}
