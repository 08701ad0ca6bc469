package io.calsync.contract.http;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Internal: {@code GET /internal/v1/connections/{id}}, a live connection as oauth-service knows it
 * (a disconnected one is a 404). {@code updated_at} is when its status last changed, on the same
 * clock as the {@code occurred_at} of its {@code connection.*} messages.
 */
public record InternalConnectionResponse(
    UUID connectionId,
    String userId,
    ConnectionStatus status,
    String accountEmail,
    OffsetDateTime updatedAt) {}
