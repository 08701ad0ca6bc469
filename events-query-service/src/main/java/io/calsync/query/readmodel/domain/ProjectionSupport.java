package io.calsync.query.readmodel.domain;

import io.calsync.query.stream.ReadModelChange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Small helpers shared by the projector's rules: source times and the change to announce. */
final class ProjectionSupport {

  private ProjectionSupport() {}

  /** A message's source time, {@code now} when it has none, to the microsecond. */
  static OffsetDateTime occurred(OffsetDateTime occurredAt, Instant now) {
    return micros(occurredAt != null ? occurredAt : now.atOffset(ZoneOffset.UTC));
  }

  /** To the microsecond, as PostgreSQL stores it, so that a replay compares equal. */
  static OffsetDateTime micros(OffsetDateTime time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }

  static ReadModelChange change(
      String type,
      String userId,
      UUID connectionId,
      UUID calendarId,
      String eventId,
      OffsetDateTime at) {
    return new ReadModelChange(type, userId, connectionId, calendarId, eventId, at);
  }
}
