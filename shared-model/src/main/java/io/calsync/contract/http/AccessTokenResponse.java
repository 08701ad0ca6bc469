package io.calsync.contract.http;

import java.time.OffsetDateTime;

/** Internal: {@code POST /internal/v1/connections/{id}/access-token}. Never logged. */
public record AccessTokenResponse(String accessToken, OffsetDateTime expiresAt) {

  @Override
  public String toString() {
    return "AccessTokenResponse[accessToken=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
