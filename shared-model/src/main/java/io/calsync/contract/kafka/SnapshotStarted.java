package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A full sync of the calendar begins; the {@code event.upserted} messages that follow carry {@link
 * #generation()} until the matching {@link SnapshotCompleted}.
 */
@JsonTypeName(SnapshotStarted.TYPE)
public record SnapshotStarted(
    UUID connectionId, String userId, OffsetDateTime occurredAt, UUID calendarId, long generation)
    implements EventChangeMessage {

  public static final String TYPE = "calendar.snapshot_started";

  @Override
  public String type() {
    return TYPE;
  }
}
