package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A value on {@link Topics#CONNECTIONS}, keyed by {@link #connectionId()}. The JSON carries the
 * message's {@code type}; a reader that meets a type it does not know reads {@code null} and skips
 * it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = ConnectionConnected.class, name = ConnectionConnected.TYPE),
  @JsonSubTypes.Type(value = ConnectionReauthRequired.class, name = ConnectionReauthRequired.TYPE),
  @JsonSubTypes.Type(value = ConnectionDisconnected.class, name = ConnectionDisconnected.TYPE)
})
public sealed interface ConnectionMessage
    permits ConnectionConnected, ConnectionReauthRequired, ConnectionDisconnected {

  /** The CloudEvents type, also the JSON {@code type} field. */
  String type();

  UUID connectionId();

  /** The platform user (the JWT {@code sub}) who owns the connection. */
  String userId();

  OffsetDateTime occurredAt();
}
