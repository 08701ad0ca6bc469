package io.calsync.sync.support;

import com.nimbusds.jwt.SignedJWT;
import io.calsync.contract.json.CalendarJson;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for oauth-service's internal API in sync-service's tests (oauth-service itself cannot
 * be on this module's classpath). It is a real HTTP server (Reactor Netty) that serves {@code POST
 * /internal/v1/connections/{id}/access-token} like oauth-service does: it demands a bearer service
 * token issued by the test's OIDC issuer (MockOAuth2Server), answers 409 problem+json {@code
 * reauth_required} for connections marked so, and otherwise returns a real Google access token for
 * the connection's emulator account, minted by the emulator's admin API ({@code POST
 * /emulator/v1/accounts/{email}/access-token}).
 */
public final class OAuthServiceStandIn implements AutoCloseable {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private final Map<UUID, String> emails = new ConcurrentHashMap<>();
  private final Set<UUID> reauth = ConcurrentHashMap.newKeySet();
  private final List<SignedJWT> serviceTokens = new CopyOnWriteArrayList<>();
  private final Supplier<String> googleBaseUrl;
  private final String issuer;
  private final DisposableServer server;

  public OAuthServiceStandIn(Supplier<String> googleBaseUrl, String issuer) {
    this.googleBaseUrl = googleBaseUrl;
    this.issuer = issuer;
    this.server =
        HttpServer.create()
            .host("localhost")
            .port(0)
            .route(r -> r.post("/internal/v1/connections/{id}/access-token", this::accessToken))
            .bindNow();
  }

  public String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /** The connection's tokens are those of this emulator account. */
  public void register(UUID connectionId, String email) {
    emails.put(connectionId, email);
    reauth.remove(connectionId);
  }

  public void markReauthRequired(UUID connectionId) {
    reauth.add(connectionId);
  }

  public List<SignedJWT> serviceTokens() {
    return List.copyOf(serviceTokens);
  }

  private Mono<Void> accessToken(HttpServerRequest req, HttpServerResponse res) {
    String auth = req.requestHeaders().get("Authorization");
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(auth.substring("Bearer ".length()));
      if (!issuer.equals(jwt.getJWTClaimsSet().getIssuer())) {
        return res.status(401).send();
      }
    } catch (Exception e) {
      return res.status(401).send();
    }
    serviceTokens.add(jwt);
    UUID id = UUID.fromString(req.param("id"));
    if (reauth.contains(id)) {
      return res.status(409)
          .header("Content-Type", "application/problem+json")
          .sendString(Mono.just(
              "{\"type\":\"https://calsync.io/problems/reauth_required\",\"title\":\"Conflict\","
                  + "\"status\":409,\"code\":\"reauth_required\",\"detail\":\"reconnect\"}"))
          .then();
    }
    String email = emails.get(id);
    if (email == null) {
      return res.status(404).send();
    }
    return HttpClient.create()
        .post()
        .uri(googleBaseUrl.get() + "/emulator/v1/accounts/" + email + "/access-token")
        .responseSingle((r, body) -> body.asString())
        .flatMap(
            text -> {
              JsonNode node = JSON.readTree(text);
              String out =
                  JSON.writeValueAsString(
                      Map.of(
                          "access_token", node.get("access_token").asString(),
                          "expires_at",
                          OffsetDateTime.now(ZoneOffset.UTC)
                              .plusSeconds(node.get("expires_in").asLong())
                              .toString()));
              return res.status(200)
                  .header("Content-Type", "application/json")
                  .sendString(Mono.just(out))
                  .then();
            });
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
