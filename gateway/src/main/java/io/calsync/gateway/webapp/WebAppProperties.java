package io.calsync.gateway.webapp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the web app (the browser client) the gateway serves, published to the browser as
 * {@code /config.json}.
 *
 * @param issuer the OIDC issuer the browser signs in at ({@code OIDC_ISSUER_URI})
 * @param clientId the public OIDC client of the web client
 * @param scope the scopes the web client asks for
 * @param allowedOrigins origins allowed to call {@code /api/**} from a browser ({@code
 *     WEB_ALLOWED_ORIGINS})
 */
@Validated
@ConfigurationProperties("calsync.web")
public record WebAppProperties(
    @NotBlank String issuer,
    @DefaultValue("calendar-web") @NotBlank String clientId,
    @DefaultValue("openid calendar") @NotBlank String scope,
    @DefaultValue("http://localhost:8080") @NotEmpty List<String> allowedOrigins) {

  /** {@code scheme://host[:port]} of the issuer, for the content security policy. */
  public String issuerOrigin() {
    URI uri = URI.create(issuer);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }
}
