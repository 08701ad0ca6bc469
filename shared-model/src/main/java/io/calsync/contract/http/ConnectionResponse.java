package io.calsync.contract.http;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One connected Google account of the caller. */
public record ConnectionResponse(
    UUID id,
    String provider,
    String accountEmail,
    ConnectionStatus status,
    List<String> scopes,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}
