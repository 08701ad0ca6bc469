package io.calsync.gateway.webapp;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the web app (the browser client) the gateway serves. Its sign-in is the OAuth client
 * registration {@code calendar} ({@code spring.security.oauth2.client.*}).
 *
 * @param issuer the OIDC issuer, as the gateway reaches it ({@code OIDC_ISSUER_URI})
 * @param publicIssuer the same issuer as the browser reaches it ({@code OIDC_PUBLIC_ISSUER_URI},
 *     the issuer's own address by default): the sign-in and the sign-out's form go there
 * @param allowedOrigins origins allowed to call {@code /api/**} from a browser ({@code
 *     WEB_ALLOWED_ORIGINS})
 */
@Validated
@ConfigurationProperties("calsync.web")
public record WebAppProperties(
    @NotBlank String issuer,
    @NotBlank String publicIssuer,
    @DefaultValue("http://localhost:8080") @NotEmpty List<String> allowedOrigins) {

  /** {@code scheme://host[:port]} of the issuer the browser reaches, for the content policy. */
  public String issuerOrigin() {
    URI uri = URI.create(publicIssuer);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }
}
