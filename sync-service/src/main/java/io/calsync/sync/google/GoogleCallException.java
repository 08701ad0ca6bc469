package io.calsync.sync.google;

/**
 * A Google call failed in a way the sync engine must act on. {@link #code()} is a stable short code
 * shown in sync status ({@code last_error.code}); the message never carries a token.
 */
public class GoogleCallException extends RuntimeException {

  /** How the engine reacts. */
  public enum Kind {
    /** 410: the sync token is no longer valid; drop it and run one full sync. */
    FULL_SYNC_REQUIRED,
    /** 404: the calendar is gone (deleted, or access removed). */
    NOT_FOUND,
    /** 401 even with a fresh token. */
    UNAUTHORIZED,
    /** 403 quotaExceeded / dailyLimitExceeded: pause the connection. */
    QUOTA_EXCEEDED,
    /** 429, 403 rate limits, 5xx, I/O: retried with backoff; thrown once retries are exhausted. */
    TRANSIENT,
    /** Anything else (400, 403 insufficientPermissions, ...): not retried. */
    PERMANENT
  }

  private final Kind kind;
  private final int status;
  private final String reason;

  public GoogleCallException(Kind kind, int status, String reason, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.status = status;
    this.reason = reason;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public String code() {
    return switch (kind) {
      case FULL_SYNC_REQUIRED -> "full_sync_required";
      case NOT_FOUND -> "calendar_not_found";
      case UNAUTHORIZED -> "google_unauthorized";
      case QUOTA_EXCEEDED -> "quota_exceeded";
      case TRANSIENT -> "google_unavailable";
      case PERMANENT -> "google_error";
    };
  }

  public boolean transientFailure() {
    return kind == Kind.TRANSIENT;
  }
}
