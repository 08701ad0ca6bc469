package io.calsync.sync.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Where a calendar's sync stands. {@code syncToken == null} means the next run is a full sync. */
public record CalendarSyncState(
    UUID calendarId,
    String syncToken,
    long generation,
    String state,
    OffsetDateTime lastSuccessAt,
    String lastErrorCode,
    String lastErrorMessage,
    long eventCount) {}
