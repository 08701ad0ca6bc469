package io.calsync.emulator.fault;

import java.util.concurrent.atomic.AtomicInteger;

/** One injected fault: answer {@code status}/{@code reason} for the next {@code times} calls. */
public final class Fault {

  private final String operation;
  private final int status;
  private final String reason;
  private final long delayMillis;
  private final AtomicInteger remaining;

  public Fault(String operation, int status, String reason, int times, long delayMillis) {
    this.operation = operation;
    this.status = status;
    this.reason = reason;
    this.delayMillis = delayMillis;
    this.remaining = new AtomicInteger(times);
  }

  public String operation() {
    return operation;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public long delayMillis() {
    return delayMillis;
  }

  public int remaining() {
    return remaining.get();
  }

  boolean matches(String op) {
    return "*".equals(operation) || operation.equals(op);
  }

  /** Takes one use of this fault; false when it is used up. */
  boolean take() {
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }
}
