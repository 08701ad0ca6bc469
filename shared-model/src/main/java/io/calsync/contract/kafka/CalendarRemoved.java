package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The calendar is gone (removed at Google, or its connection was disconnected). */
@JsonTypeName(CalendarRemoved.TYPE)
public record CalendarRemoved(
    UUID connectionId, String userId, OffsetDateTime occurredAt, UUID calendarId)
    implements EventChangeMessage {

  public static final String TYPE = "calendar.removed";

  @Override
  public String type() {
    return TYPE;
  }
}
