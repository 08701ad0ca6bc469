package io.calsync.sync.token;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.InternalConnectionResponse;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * oauth-service's {@code GET /internal/v1/connections/{id}}, with the same service token and
 * timeout as the access-token calls: for a connection id this service has not heard of yet (its
 * {@code connection.connected} not consumed). Empty when oauth-service does not know it (or it is
 * disconnected); {@link OAuthUnavailableException} when oauth-service cannot answer.
 */
@Component
public class OAuthConnectionClient {

  private final WebClient client;
  private final ServiceTokenClient serviceTokens;
  private final TokenProperties props;

  OAuthConnectionClient(
      WebClient.Builder builder, ServiceTokenClient serviceTokens, TokenProperties props) {
    this.client = builder.baseUrl(props.oauthServiceUrl().toString()).build();
    this.serviceTokens = serviceTokens;
    this.props = props;
  }

  public Mono<OAuthConnection> find(UUID connectionId) {
    return serviceTokens
        .token()
        .flatMap(
            serviceToken ->
                client
                    .get()
                    .uri(ApiPaths.INTERNAL_CONNECTION, connectionId)
                    .headers(h -> h.setBearerAuth(serviceToken))
                    .accept(MediaType.APPLICATION_JSON)
                    .retrieve()
                    .bodyToMono(InternalConnectionResponse.class)
                    .timeout(props.timeout()))
        .onErrorResume(
            e ->
                e instanceof WebClientResponseException w
                    && w.getStatusCode().value() == HttpStatus.NOT_FOUND.value(),
            e -> Mono.empty())
        .onErrorMap(
            e ->
                new OAuthUnavailableException(
                    "connection "
                        + connectionId
                        + " could not be looked up at oauth-service: "
                        + e.getClass().getSimpleName()))
        .filter(r -> r.userId() != null && r.status() != null && r.updatedAt() != null)
        .map(
            r ->
                new OAuthConnection(
                    connectionId,
                    r.userId(),
                    r.status().wire(),
                    r.accountEmail(),
                    r.updatedAt().toInstant()));
  }
}
