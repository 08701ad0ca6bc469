package io.calsync.query.readmodel.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code connections}: the connection's status ({@code active | reauth_required |
 * disconnected}) as of {@code statusAt}, the time of the lifecycle message that set it.
 */
public record ConnectionRow(UUID id, String userId, String status, OffsetDateTime statusAt) {

  public static final String ACTIVE = "active";
  public static final String REAUTH_REQUIRED = "reauth_required";
  public static final String DISCONNECTED = "disconnected";
}
