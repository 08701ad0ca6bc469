package io.calsync.oauth.connect.domain;

import java.time.Instant;

/** A one-time OAuth state as stored: bound to the user, with the PKCE verifier and the return path. */
public record OAuthState(
    String stateHash, String userId, String codeVerifier, String returnTo, Instant createdAt, Instant expiresAt) {

  @Override
  public String toString() {
    return "OAuthState[userId=" + userId + ", returnTo=" + returnTo + ", expiresAt=" + expiresAt + "]";
  }
}
