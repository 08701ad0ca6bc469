package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Google refused the connection's grant ({@code invalid_grant}); the user has to connect again. */
@JsonTypeName(ConnectionReauthRequired.TYPE)
public record ConnectionReauthRequired(
    UUID connectionId, String userId, OffsetDateTime occurredAt, String reason)
    implements ConnectionMessage {

  public static final String TYPE = "connection.reauth_required";

  @Override
  public String type() {
    return TYPE;
  }
}
