package io.calsync.oauth.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A Google account connected by a platform user. */
public record Connection(
    UUID id,
    String userId,
    String provider,
    String googleSub,
    String accountEmail,
    ConnectionStatus status,
    List<String> scopes,
    Instant createdAt,
    Instant updatedAt) {

  public static final String GOOGLE = "google";

  public Connection {
    scopes = List.copyOf(scopes);
  }

  public boolean isLive() {
    return status != ConnectionStatus.DISCONNECTED;
  }
}
