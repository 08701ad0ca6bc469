package io.calsync.oauth.token;

import java.util.UUID;

/** The connection's Google grant is gone; the user has to connect again. */
public class ReauthRequiredException extends RuntimeException {

  public ReauthRequiredException(UUID connectionId) {
    super("Connection " + connectionId + " needs to be connected again.");
  }
}
