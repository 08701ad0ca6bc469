package io.calsync.oauth.connect;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The web client the OAuth callback sends the browser back to. */
@Validated
@ConfigurationProperties("calsync.web")
record WebProperties(
    @NotBlank @Pattern(regexp = "https?://[^/]+.*") String baseUrl,
    @DefaultValue("/settings") @NotBlank String defaultReturnTo) {

  /** Whether browsers reach the web client over TLS, so cookies must be {@code Secure}. */
  boolean isHttps() {
    return baseUrl.regionMatches(true, 0, "https://", 0, 8);
  }

  /** The base URL without a trailing slash, so that a path can be appended. */
  String origin() {
    return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }
}
