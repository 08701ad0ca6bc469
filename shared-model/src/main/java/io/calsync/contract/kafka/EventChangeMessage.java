package io.calsync.contract.kafka;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A value on {@link Topics#EVENT_CHANGES}, keyed by {@link #connectionId()}. {@link #calendarId()}
 * is the platform's calendar id (the {@code id} of {@code GET /api/calendar/calendars/}); Google's
 * own calendar id travels in {@link CalendarUpserted#providerCalendarId()}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CalendarUpserted.class, name = CalendarUpserted.TYPE),
  @JsonSubTypes.Type(value = CalendarRemoved.class, name = CalendarRemoved.TYPE),
  @JsonSubTypes.Type(value = SnapshotStarted.class, name = SnapshotStarted.TYPE),
  @JsonSubTypes.Type(value = SnapshotCompleted.class, name = SnapshotCompleted.TYPE),
  @JsonSubTypes.Type(value = EventUpserted.class, name = EventUpserted.TYPE),
  @JsonSubTypes.Type(value = EventDeleted.class, name = EventDeleted.TYPE)
})
public sealed interface EventChangeMessage
    permits CalendarUpserted,
        CalendarRemoved,
        SnapshotStarted,
        SnapshotCompleted,
        EventUpserted,
        EventDeleted {

  /** The CloudEvents type, also the JSON {@code type} field. */
  String type();

  UUID connectionId();

  String userId();

  OffsetDateTime occurredAt();

  UUID calendarId();
}
