package io.calsync.oauth.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the internal token API: service tokens issued for {@code audience} to a client on
 * {@code allowedClients}, with scope {@code calendar.tokens}. User tokens carry audience {@code
 * calendar} and a user-facing client, so they never qualify, whatever scopes they hold.
 *
 * @param audience the audience of service tokens (env {@code INTERNAL_API_AUDIENCE})
 * @param allowedClients client ids that may fetch Google access tokens (env {@code
 *     INTERNAL_API_ALLOWED_CLIENTS}, comma-separated)
 */
@Validated
@ConfigurationProperties("calsync.internal-api")
record InternalApiProperties(
    @DefaultValue("calendar-internal") @NotBlank String audience,
    @DefaultValue("sync-service") @NotEmpty List<@NotBlank String> allowedClients) {}
