package io.calsync.sync.token;

import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * This service's own bearer token for oauth-service's internal API: the OAuth2 client-credentials
 * grant at the OIDC issuer (client secret in HTTP Basic), cached until shortly before it expires.
 */
@Component
class ServiceTokenClient {

  record TokenResponse(String accessToken, Long expiresIn) {
    @Override
    public String toString() {
      return "TokenResponse[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  private final Mono<String> cached;

  ServiceTokenClient(WebClient.Builder builder, TokenProperties props) {
    WebClient client = builder.build();
    this.cached =
        Mono.defer(
                () ->
                    client
                        .post()
                        .uri(props.tokenUri())
                        .headers(h -> h.setBasicAuth(props.clientId(), props.clientSecret()))
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .accept(MediaType.APPLICATION_JSON)
                        .body(
                            BodyInserters.fromFormData("grant_type", "client_credentials")
                                .with("scope", props.scope()))
                        .retrieve()
                        .bodyToMono(TokenResponse.class)
                        .timeout(props.timeout()))
            .onErrorMap(
                e -> !(e instanceof TokenUnavailableException),
                e ->
                    new TokenUnavailableException(
                        "service token unavailable: " + e.getClass().getSimpleName(), null))
            .filter(t -> t.accessToken() != null)
            .switchIfEmpty(
                Mono.error(() -> new TokenUnavailableException("service token missing", null)))
            .cache(t -> ttl(t, props.refreshSkew()), e -> Duration.ZERO, () -> Duration.ZERO)
            .map(TokenResponse::accessToken);
  }

  Mono<String> token() {
    return cached;
  }

  private static Duration ttl(TokenResponse t, Duration skew) {
    long seconds = t.expiresIn() == null ? 60 : t.expiresIn();
    Duration ttl = Duration.ofSeconds(seconds).minus(skew);
    return ttl.isNegative() ? Duration.ZERO : ttl;
  }
}
