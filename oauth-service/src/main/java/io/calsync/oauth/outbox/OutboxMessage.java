package io.calsync.oauth.outbox;

import java.time.Instant;
import java.util.Map;

/** A row of the outbox: one Kafka record waiting for, or past, its publication. */
record OutboxMessage(
    long id,
    String topic,
    String key,
    String type,
    String payload,
    Map<String, String> headers,
    Instant createdAt) {}
