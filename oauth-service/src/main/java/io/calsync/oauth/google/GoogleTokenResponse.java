package io.calsync.oauth.google;

import java.util.Arrays;
import java.util.List;

/** Google's token endpoint answer (snake_case on the wire). Never logged with its values. */
public record GoogleTokenResponse(
    String accessToken,
    Long expiresIn,
    String refreshToken,
    String scope,
    String tokenType,
    String idToken) {

  /** The granted scopes, space-separated on the wire; empty when Google did not say. */
  public List<String> grantedScopes() {
    if (scope == null || scope.isBlank()) {
      return List.of();
    }
    return Arrays.stream(scope.trim().split("\\s+")).toList();
  }

  @Override
  public String toString() {
    return "GoogleTokenResponse[expiresIn="
        + expiresIn
        + ", refreshToken="
        + (refreshToken != null)
        + ", scope="
        + scope
        + "]";
  }
}
