package io.calsync.oauth.outbox;

import java.time.Instant;
import java.util.Map;

/**
 * A row of the outbox: one Kafka record waiting for, or past, its publication. {@code traceparent}
 * is the W3C trace context of the request that wrote it, or null.
 */
record OutboxMessage(
    long id,
    String topic,
    String key,
    String type,
    String payload,
    Map<String, String> headers,
    String traceparent,
    Instant createdAt) {}
