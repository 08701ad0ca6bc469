package io.calsync.sync.model;

/**
 * What made a connection's run owed: the {@code trigger} label of {@code calsync_sync_runs_total}
 * and {@code calsync_sync_run_duration_seconds}, stored with the {@code pending} flag so that it
 * holds across instances.
 */
public enum SyncTrigger {
  /** {@code connection.connected}, or a connection learned from oauth-service before it. */
  CONNECT,
  /** "Sync now" ({@code POST /api/calendar/sync/}). */
  MANUAL,
  /** A push notification of one calendar. */
  PUSH,
  /** The periodic backstop: due, a failed run's retry, or a run nobody holds a lease for. */
  BACKSTOP,
  /** A calendar was selected for sync. */
  SELECTION,
  /** The run lost its lease and is owed again. */
  RETRY,
  /** An operator forced a full resync (actuator endpoint {@code resync}). */
  OPERATOR;

  /** The label value (and stored value). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The stored value read back; a run owed before triggers were stored counts as backstop. */
  public static SyncTrigger of(String label) {
    for (SyncTrigger t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    return BACKSTOP;
  }
}
