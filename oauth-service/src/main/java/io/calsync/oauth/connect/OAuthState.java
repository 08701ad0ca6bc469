package io.calsync.oauth.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * A one-time OAuth state as stored: bound to the user, and to the browser that started the flow by
 * the hash of a random binding cookie; with the PKCE verifier and the return path.
 *
 * @param browserBindingHash SHA-256 (hex) of the binding cookie; null for a state stored before
 *     browsers were bound, which no callback can complete
 */
record OAuthState(
    String stateHash,
    String browserBindingHash,
    String userId,
    String codeVerifier,
    String returnTo,
    Instant createdAt,
    Instant expiresAt) {

  /** Whether a callback that presented a binding with this hash may complete the flow. */
  boolean isBoundTo(String presentedBindingHash) {
    return browserBindingHash != null
        && presentedBindingHash != null
        && MessageDigest.isEqual(
            browserBindingHash.getBytes(StandardCharsets.US_ASCII),
            presentedBindingHash.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public String toString() {
    return "OAuthState[userId="
        + userId
        + ", returnTo="
        + returnTo
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
