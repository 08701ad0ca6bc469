package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An event was deleted (Google's {@code status: cancelled}). Only {@code event.id} and {@code
 * event.status} are sure to be set; a cancelled instance of a series also carries {@code
 * recurring_event_id} and {@code original_start}, and hides that one occurrence.
 */
@JsonTypeName(EventDeleted.TYPE)
public record EventDeleted(
    UUID connectionId,
    String userId,
    OffsetDateTime occurredAt,
    UUID calendarId,
    long generation,
    EventPayload event)
    implements EventChangeMessage {

  public static final String TYPE = "event.deleted";

  @Override
  public String type() {
    return TYPE;
  }
}
