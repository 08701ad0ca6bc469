package io.calsync.oauth.connect;

import java.time.Duration;

/**
 * The user already has as many pending connect flows as allowed: a 429 whose {@code Retry-After} is
 * the time until the oldest of them expires.
 */
public class TooManyPendingFlowsException extends RuntimeException {

  private final Duration retryAfter;

  TooManyPendingFlowsException(int pending, Duration retryAfter) {
    super(
        "You have "
            + pending
            + " unfinished Google connections in progress; finish one or try again later.",
        null,
        false,
        false);
    this.retryAfter = retryAfter;
  }

  /** Until the oldest pending flow expires (and frees its slot). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
