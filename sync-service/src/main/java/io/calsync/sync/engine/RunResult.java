package io.calsync.sync.engine;

import io.calsync.sync.model.ConnectionSyncState;
import java.time.Instant;

/**
 * How one run of a connection's sync ended.
 *
 * @param state the connection's sync state after the run: idle, error or reauth_required
 * @param succeeded true when every selected calendar synced
 * @param pausedUntil set when Google's quota was exceeded: no backstop run before then
 */
public record RunResult(
    String state, boolean succeeded, String errorCode, String errorMessage, Instant pausedUntil) {

  public static RunResult ok() {
    return new RunResult(ConnectionSyncState.IDLE, true, null, null, null);
  }

  public static RunResult error(String code, String message) {
    return new RunResult(ConnectionSyncState.ERROR, false, code, message, null);
  }

  public static RunResult paused(String code, String message, Instant until) {
    return new RunResult(ConnectionSyncState.ERROR, false, code, message, until);
  }

  public static RunResult reauthRequired(String message) {
    return new RunResult(
        ConnectionSyncState.REAUTH_REQUIRED, false, "reauth_required", message, null);
  }

  /** The first failure wins; a success keeps a failure. */
  public RunResult and(RunResult other) {
    return succeeded ? other : this;
  }

  public boolean reauthRequired() {
    return ConnectionSyncState.REAUTH_REQUIRED.equals(state);
  }
}
