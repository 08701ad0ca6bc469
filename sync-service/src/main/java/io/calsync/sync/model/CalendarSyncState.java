package io.calsync.sync.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Where a calendar's sync stands. {@code syncToken == null} means the next run is a full sync.
 * {@code pushRefusedAt}: when Google last refused {@code events.watch} on the calendar (null while
 * it is not known to refuse).
 */
public record CalendarSyncState(
    UUID calendarId,
    String syncToken,
    long generation,
    String state,
    OffsetDateTime lastSuccessAt,
    String lastErrorCode,
    String lastErrorMessage,
    long eventCount,
    OffsetDateTime pushRefusedAt) {}
