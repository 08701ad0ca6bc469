package io.calsync.oauth.connect;

import java.util.UUID;

/** How a callback ended: where to send the browser back to, and with what. */
sealed interface CallbackResult {

  /** The web-client path to return to; null means the default. */
  String returnTo();

  record Connected(UUID connectionId, String returnTo) implements CallbackResult {}

  record Failed(Reason reason, String returnTo) implements CallbackResult {}

  /** The {@code reason} values of the public contract. */
  enum Reason {
    ACCESS_DENIED("access_denied"),
    INVALID_STATE("invalid_state"),
    EXCHANGE_FAILED("exchange_failed"),
    INSUFFICIENT_SCOPE("insufficient_scope");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    String wire() {
      return wire;
    }
  }
}
