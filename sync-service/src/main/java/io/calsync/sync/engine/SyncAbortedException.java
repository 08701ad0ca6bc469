package io.calsync.sync.engine;

/** The run must stop: the lease was lost, or the calendar was deselected/removed meanwhile. */
class SyncAbortedException extends RuntimeException {

  private final boolean leaseLost;

  SyncAbortedException(String message, boolean leaseLost) {
    super(message, null, false, false);
    this.leaseLost = leaseLost;
  }

  boolean leaseLost() {
    return leaseLost;
  }
}
