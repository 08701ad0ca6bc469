package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event was created or changed: a single event, a series master (with {@code recurrence}), or an
 * exception of a series (with {@code recurring_event_id} and {@code original_start}).
 */
@JsonTypeName(EventUpserted.TYPE)
public record EventUpserted(
    UUID connectionId,
    String userId,
    OffsetDateTime occurredAt,
    UUID calendarId,
    long generation,
    EventPayload event)
    implements EventChangeMessage {

  public static final String TYPE = "event.upserted";

  @Override
  public String type() {
    return TYPE;
  }
}
