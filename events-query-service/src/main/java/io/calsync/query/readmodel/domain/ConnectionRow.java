package io.calsync.query.readmodel.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code connections}: the connection's status ({@code active | reauth_required |
 * disconnected}) as of {@code statusAt}, the time of the lifecycle message that set it, and {@code
 * disconnectedAt}, the time of its last {@code connection.disconnected} (null if never), which a
 * later {@code connection.connected} keeps as a fence against messages of before the disconnect.
 */
public record ConnectionRow(
    UUID id, String userId, String status, OffsetDateTime statusAt, OffsetDateTime disconnectedAt) {

  public static final String ACTIVE = "active";
  public static final String REAUTH_REQUIRED = "reauth_required";
  public static final String DISCONNECTED = "disconnected";
}
