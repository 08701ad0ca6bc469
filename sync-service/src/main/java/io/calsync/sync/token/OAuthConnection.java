package io.calsync.sync.token;

import java.time.Instant;
import java.util.UUID;

/**
 * A live connection as oauth-service knows it ({@code GET /internal/v1/connections/{id}}).
 *
 * @param status {@code active} or {@code reauth_required}
 * @param updatedAt when its status last changed, on oauth-service's clock
 */
public record OAuthConnection(
    UUID id, String userId, String status, String accountEmail, Instant updatedAt) {}
