package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The full sync of {@link #generation()} delivered every event of the calendar: a consumer drops
 * the calendar's rows of older generations, so events deleted while no sync token was valid vanish.
 */
@JsonTypeName(SnapshotCompleted.TYPE)
public record SnapshotCompleted(
    UUID connectionId,
    String userId,
    OffsetDateTime occurredAt,
    UUID calendarId,
    long generation,
    long eventCount)
    implements EventChangeMessage {

  public static final String TYPE = "calendar.snapshot_completed";

  @Override
  public String type() {
    return TYPE;
  }
}
