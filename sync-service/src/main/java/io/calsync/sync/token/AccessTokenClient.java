package io.calsync.sync.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.calsync.contract.http.AccessTokenRequest;
import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.http.ApiPaths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Google access tokens of a connection, from oauth-service's {@code POST
 * /internal/v1/connections/{id}/access-token}, cached until {@code refreshSkew} before they expire.
 * oauth-service does the refreshing (one refresh per connection at a time); after Google's 401 the
 * rejected token is sent back with {@code {"rejected_access_token": …}} for a forced refresh. A 409
 * means the grant is gone ({@link ReauthRequiredException}). Tokens are never logged.
 */
@Component
class AccessTokenClient implements AccessTokens {

  record Cached(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Cached[<redacted>, " + expiresAt + "]";
    }
  }

  private final WebClient client;
  private final ServiceTokenClient serviceTokens;
  private final TokenProperties props;
  private final Clock clock;
  private final Cache<UUID, Cached> cache;

  AccessTokenClient(
      WebClient.Builder builder,
      ServiceTokenClient serviceTokens,
      TokenProperties props,
      Clock clock) {
    this.client = builder.baseUrl(props.oauthServiceUrl().toString()).build();
    this.serviceTokens = serviceTokens;
    this.props = props;
    this.clock = clock;
    this.cache = tokenCache(clock, props.refreshSkew(), Ticker.systemTicker());
  }

  /**
   * Tokens leave the cache when they would no longer be handed out ({@code refreshSkew} before they
   * expire): a plain access token is a secret, and a connection that stopped syncing should not
   * keep one in memory.
   */
  static Cache<UUID, Cached> tokenCache(Clock clock, Duration refreshSkew, Ticker ticker) {
    return Caffeine.newBuilder()
        .ticker(ticker)
        .expireAfter(
            Expiry.writing(
                (UUID id, Cached c) -> {
                  Duration left =
                      Duration.between(clock.instant(), c.expiresAt().minus(refreshSkew));
                  return left.isNegative() ? Duration.ZERO : left;
                }))
        .build();
  }

  @Override
  public void forget(UUID connectionId) {
    cache.invalidate(connectionId);
  }

  @Override
  public Mono<String> accessToken(UUID connectionId) {
    Cached c = cache.getIfPresent(connectionId);
    if (c != null && clock.instant().isBefore(c.expiresAt().minus(props.refreshSkew()))) {
      return Mono.just(c.token());
    }
    return fetch(connectionId);
  }

  /**
   * Google answered 401 to {@code rejectedToken}: drop it from the cache (unless another call
   * already replaced it) and ask oauth-service for a forced refresh with the rejected token in the
   * body.
   */
  @Override
  public Mono<String> refreshRejected(UUID connectionId, String rejectedToken) {
    cache
        .asMap()
        .computeIfPresent(connectionId, (id, c) -> c.token().equals(rejectedToken) ? null : c);
    return fetch(connectionId, new AccessTokenRequest(rejectedToken));
  }

  private Mono<String> fetch(UUID connectionId) {
    return fetch(connectionId, null);
  }

  private Mono<String> fetch(UUID connectionId, AccessTokenRequest request) {
    return serviceTokens
        .token()
        .flatMap(
            serviceToken ->
                withBody(
                        client
                            .post()
                            .uri(ApiPaths.INTERNAL_ACCESS_TOKEN, connectionId)
                            .headers(h -> h.setBearerAuth(serviceToken))
                            .accept(MediaType.APPLICATION_JSON),
                        request)
                    .retrieve()
                    .bodyToMono(AccessTokenResponse.class)
                    .timeout(props.timeout()))
        .onErrorMap(WebClientResponseException.class, e -> translate(connectionId, e))
        .onErrorMap(
            e -> !(e instanceof ReauthRequiredException || e instanceof TokenUnavailableException),
            e ->
                new TokenUnavailableException(
                    "access token for connection "
                        + connectionId
                        + " unavailable: "
                        + e.getClass().getSimpleName(),
                    null))
        .flatMap(
            r -> {
              if (r.accessToken() == null) {
                return Mono.error(
                    new TokenUnavailableException("oauth-service returned no token", null));
              }
              Instant expires =
                  r.expiresAt() == null
                      ? clock.instant().plusSeconds(300)
                      : r.expiresAt().toInstant();
              cache.put(connectionId, new Cached(r.accessToken(), expires));
              return Mono.just(r.accessToken());
            });
  }

  private static WebClient.RequestHeadersSpec<?> withBody(
      WebClient.RequestBodySpec spec, AccessTokenRequest request) {
    return request == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(request);
  }

  private RuntimeException translate(UUID connectionId, WebClientResponseException e) {
    if (e.getStatusCode().value() == HttpStatus.CONFLICT.value()) {
      cache.invalidate(connectionId);
      return new ReauthRequiredException("connection " + connectionId + " needs re-consent");
    }
    return new TokenUnavailableException(
        "oauth-service answered " + e.getStatusCode().value() + " for connection " + connectionId,
        null);
  }
}
