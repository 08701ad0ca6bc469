package io.calsync.query.stream;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One applied change of the read model, announced on the caller's live stream after its transaction
 * committed. {@code type} is the Kafka message type that caused it ({@code event.upserted}, {@code
 * event.deleted}, {@code calendar.upserted}, {@code calendar.removed}, {@code
 * calendar.snapshot_completed}, {@code connection.connected}, {@code connection.reauth_required},
 * {@code connection.disconnected}); {@code calendarId} and {@code eventId} are null where they do
 * not apply. A replayed or stale message applies nothing and announces nothing.
 */
public record ReadModelChange(
    String type,
    String userId,
    UUID connectionId,
    UUID calendarId,
    String eventId,
    OffsetDateTime occurredAt) {}
