package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A calendar of the connection appeared or changed (name, colour, time zone, selection). */
@JsonTypeName(CalendarUpserted.TYPE)
public record CalendarUpserted(
    UUID connectionId,
    String userId,
    OffsetDateTime occurredAt,
    UUID calendarId,
    String providerCalendarId,
    String name,
    String color,
    String timeZone,
    boolean primary,
    String accessRole,
    boolean selected)
    implements EventChangeMessage {

  public static final String TYPE = "calendar.upserted";

  @Override
  public String type() {
    return TYPE;
  }
}
