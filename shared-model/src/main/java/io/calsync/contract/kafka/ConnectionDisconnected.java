package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The user removed the connection: its grant is revoked and its data must be forgotten. */
@JsonTypeName(ConnectionDisconnected.TYPE)
public record ConnectionDisconnected(UUID connectionId, String userId, OffsetDateTime occurredAt)
    implements ConnectionMessage {

  public static final String TYPE = "connection.disconnected";

  @Override
  public String type() {
    return TYPE;
  }
}
