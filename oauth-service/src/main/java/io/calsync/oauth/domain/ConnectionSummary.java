package io.calsync.oauth.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection as operators list it: no tokens and no Google account (e-mail or subject), which are
 * personal data an operator does not need to see a connection's state.
 *
 * @param statusReason why the connection left {@code active} (e.g. {@code invalid_grant}); null
 *     while active
 */
public record ConnectionSummary(
    UUID id,
    String userId,
    ConnectionStatus status,
    String statusReason,
    Instant createdAt,
    Instant updatedAt) {}
