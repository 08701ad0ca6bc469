package io.calsync.contract.http;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/calendar/sync/status/}. */
public record SyncStatusResponse(List<ConnectionSync> connections) {

  /**
   * A connection's sync: {@code state} is {@code idle}, {@code queued}, {@code syncing}, {@code
   * error} or {@code reauth_required}; {@code last_error} is {@code null} when the last run worked.
   */
  public record ConnectionSync(
      UUID connectionId,
      String state,
      OffsetDateTime lastAttemptAt,
      OffsetDateTime lastSuccessAt,
      OffsetDateTime nextSyncAt,
      SyncError lastError,
      List<CalendarSync> calendars) {}

  public record SyncError(String code, String message) {}

  public record CalendarSync(
      UUID calendarId, String name, String state, OffsetDateTime lastSuccessAt, long eventCount) {}
}
