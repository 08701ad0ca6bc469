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

  /**
   * A calendar's sync. {@code push} says how its changes reach the platform: {@code active} (a live
   * push channel), {@code pending} (none yet; asked for after its next sync), {@code unsupported}
   * (Google refuses push for this calendar, e.g. a holiday calendar: it is synced on a shorter
   * schedule instead, and this is not a failure) or {@code off} (push is not configured, or the
   * calendar is deselected).
   */
  public record CalendarSync(
      UUID calendarId,
      String name,
      String state,
      OffsetDateTime lastSuccessAt,
      long eventCount,
      String push) {

    public static final String PUSH_ACTIVE = "active";
    public static final String PUSH_PENDING = "pending";
    public static final String PUSH_UNSUPPORTED = "unsupported";
    public static final String PUSH_OFF = "off";
  }
}
