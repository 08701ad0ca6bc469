package io.calsync.sync.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A connection's sync: idle | queued | syncing | error | reauth_required, plus a pending flag and
 * when its last manual sync was accepted (null if never).
 */
public record ConnectionSyncState(
    UUID connectionId,
    String state,
    boolean pending,
    OffsetDateTime lastAttemptAt,
    OffsetDateTime lastSuccessAt,
    OffsetDateTime nextSyncAt,
    String lastErrorCode,
    String lastErrorMessage,
    OffsetDateTime manualRequestedAt) {

  public static final String IDLE = "idle";
  public static final String QUEUED = "queued";
  public static final String SYNCING = "syncing";
  public static final String ERROR = "error";
  public static final String REAUTH_REQUIRED = "reauth_required";
}
