package io.calsync.sync.trigger;

import io.calsync.sync.model.ConnectionSyncState;
import java.time.Duration;

/** The outcome of a manual sync request ("sync now") for one connection. */
public sealed interface ManualSync {

  /**
   * Queued: a run is owed now (a new one, or one that was already queued and this request joined).
   */
  record Accepted(ConnectionSyncState state) implements ManualSync {}

  /**
   * Refused: the connection accepted a manual sync less than the interval ago, and this one would
   * have started another run; {@code retryAfter} is the rest of the interval.
   */
  record Limited(Duration retryAfter) implements ManualSync {}
}
