package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A Google account was connected, or reconnected after {@code reauth_required}: its tokens are
 * usable and a sync may start.
 */
@JsonTypeName(ConnectionConnected.TYPE)
public record ConnectionConnected(
    UUID connectionId,
    String userId,
    OffsetDateTime occurredAt,
    String provider,
    String accountEmail,
    List<String> scopes)
    implements ConnectionMessage {

  public static final String TYPE = "connection.connected";

  @Override
  public String type() {
    return TYPE;
  }
}
