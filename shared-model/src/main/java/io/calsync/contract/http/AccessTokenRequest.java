package io.calsync.contract.http;

/**
 * Internal: the optional body of {@code POST /internal/v1/connections/{id}/access-token}. With a
 * {@code rejectedAccessToken} (the token Google answered 401 to), oauth-service refreshes at Google
 * unless the stored token already differs from it. No body, {@code {}} or a null member: the usual
 * answer, a stored token that is not near its expiry. Never logged.
 */
public record AccessTokenRequest(String rejectedAccessToken) {

  @Override
  public String toString() {
    return "AccessTokenRequest[rejectedAccessToken="
        + (rejectedAccessToken == null ? "null" : "<redacted>")
        + "]";
  }
}
