package io.calsync.oauth.google;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Google's OAuth2 endpoints and this platform's client registration (the emulator's by default).
 *
 * @param connectTimeout TCP connect timeout of one attempt
 * @param responseTimeout time for Google's answer of one attempt; one attempt takes at most {@code
 *     connectTimeout + responseTimeout}
 * @param retries further attempts of an idempotent call (refresh, userinfo, revoke) after a
 *     transient failure (5xx, I/O, timeout); the single-use code exchange is never retried
 * @param retryBackoff the first pause before a retry, doubling, jittered by half
 * @param retryMaxBackoff the longest pause before a retry
 */
@Validated
@ConfigurationProperties("calsync.google")
record GoogleOAuthProperties(
    @NotBlank String clientId,
    @NotBlank String clientSecret,
    @NotNull URI authorizationUri,
    @NotNull URI tokenUri,
    @NotNull URI revokeUri,
    @NotNull URI userinfoUri,
    @NotNull URI redirectUri,
    @NotEmpty List<String> scopes,
    @DefaultValue("2s") @NotNull Duration connectTimeout,
    @DefaultValue("5s") @NotNull Duration responseTimeout,
    @DefaultValue("2") @Min(0) @Max(5) int retries,
    @DefaultValue("200ms") @NotNull Duration retryBackoff,
    @DefaultValue("2s") @NotNull Duration retryMaxBackoff) {

  @Override
  public String toString() {
    return "GoogleOAuthProperties[clientId="
        + clientId
        + ", clientSecret=<redacted>, tokenUri="
        + tokenUri
        + "]";
  }
}
