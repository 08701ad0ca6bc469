package io.calsync.oauth.token;

import java.time.Instant;

/** A usable Google access token. Never logged. */
record AccessToken(String value, Instant expiresAt) {

  @Override
  public String toString() {
    return "AccessToken[value=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
