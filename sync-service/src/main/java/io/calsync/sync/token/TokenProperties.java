package io.calsync.sync.token;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How sync-service gets Google access tokens: from oauth-service's internal API, authenticated by a
 * service token of the client-credentials grant at the OIDC issuer.
 *
 * @param timeout how long a call to oauth-service (or the issuer) may take; above oauth-service's
 *     {@code calsync.token.refresh-timeout} (root README, Timeout budget)
 * @param refreshSkew a cached token is dropped this long before it expires
 */
@Validated
@ConfigurationProperties("calsync.token")
public record TokenProperties(
    @NotNull URI oauthServiceUrl,
    @NotNull URI tokenUri,
    @NotBlank String clientId,
    @NotBlank String clientSecret,
    @NotBlank @DefaultValue("calendar.tokens") String scope,
    @NotNull @DefaultValue("45s") Duration timeout,
    @NotNull @DefaultValue("60s") Duration refreshSkew) {

  @Override
  public String toString() {
    return "TokenProperties[oauthServiceUrl="
        + oauthServiceUrl
        + ", tokenUri="
        + tokenUri
        + ", clientId="
        + clientId
        + ", clientSecret=<redacted>]";
  }
}
