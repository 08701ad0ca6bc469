package io.calsync.oauth.google;

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
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("10s") Duration responseTimeout) {

  @Override
  public String toString() {
    return "GoogleOAuthProperties[clientId="
        + clientId
        + ", clientSecret=<redacted>, tokenUri="
        + tokenUri
        + "]";
  }
}
