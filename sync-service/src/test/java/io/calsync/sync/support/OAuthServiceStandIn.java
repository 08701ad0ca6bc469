package io.calsync.sync.support;

import com.nimbusds.jwt.SignedJWT;
import io.calsync.contract.json.CalendarJson;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
 * reauth_required} for connections marked so, and otherwise hands out a real Google access token of
 * the connection's emulator account.
 *
 * <p>It keeps tokens the way oauth-service does: on first use it goes through the emulator's real
 * OAuth flow (authorize with {@code login_hint}, code exchange at {@code /token}) and holds the
 * access and refresh token; it hands out the <em>same</em> access token until it is near its expiry
 * or a caller reports it as rejected ({@code {"rejected_access_token": …}} equal to the held one),
 * and only then refreshes at the emulator's {@code /token} with the refresh token, one refresh per
 * connection at a time. {@code invalid_grant} (after the emulator's {@code revoke-grants}) turns
 * the connection to reauth_required: 409 from then on.
 */
public final class OAuthServiceStandIn implements AutoCloseable {

  private static final JsonMapper JSON = CalendarJson.mapper();
  private static final String CLIENT_ID = "calendar-platform-local.apps.googleusercontent.com";
  private static final String CLIENT_SECRET = "local-google-secret";
  static final String REDIRECT_URI = "http://localhost/oauth-service-stand-in/callback";
  private static final String SCOPES =
      "openid email https://www.googleapis.com/auth/calendar.readonly";

  /** What is held for a connection: tokens as oauth-service would store them. */
  private record Held(String accessToken, String refreshToken, Instant expiresAt) {
    @Override
    public String toString() {
      return "Held[<redacted>, " + expiresAt + "]";
    }
  }

  /** The connection's held tokens; {@code current} is a cached Mono, so a refresh runs once. */
  private static final class Grant {
    final String email;
    final String userId;
    final Instant updatedAt = Instant.now();
    Mono<Held> current;

    Grant(String email, String userId) {
      this.email = email;
      this.userId = userId;
    }
  }

  /** Google answered invalid_grant: the grant is gone. */
  private static final class GrantGone extends RuntimeException {
    GrantGone() {
      super("invalid_grant", null, false, false);
    }
  }

  private final Map<UUID, Grant> grants = new ConcurrentHashMap<>();
  private final Set<UUID> reauth = ConcurrentHashMap.newKeySet();
  private final List<SignedJWT> serviceTokens = new CopyOnWriteArrayList<>();
  private final Map<UUID, AtomicInteger> refreshes = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final Map<UUID, AtomicInteger> lookups = new ConcurrentHashMap<>();
  private volatile boolean lookupsFail;
  private final Map<UUID, Supplier<Mono<Void>>> reauthHooks = new ConcurrentHashMap<>();
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
            .route(
                r ->
                    r.post("/internal/v1/connections/{id}/access-token", this::accessToken)
                        .get("/internal/v1/connections/{id}", this::connection))
            .bindNow();
  }

  public String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /**
   * The connection's tokens are those of this emulator account (as after a connect or reconnect).
   */
  public void register(UUID connectionId, String email) {
    register(connectionId, null, email);
  }

  /**
   * As {@link #register(UUID, String)}, and {@code GET /internal/v1/connections/{id}} names {@code
   * userId} as its owner (a connection made at oauth-service, announced or not).
   */
  public void register(UUID connectionId, String userId, String email) {
    grants.put(connectionId, new Grant(email, userId));
    reauth.remove(connectionId);
  }

  /** While true, {@code GET /internal/v1/connections/{id}} answers 503 (oauth-service is down). */
  public void connectionLookupsFail(boolean fail) {
    lookupsFail = fail;
  }

  /** How many {@code GET /internal/v1/connections/{id}} requests this id received. */
  public int lookups(UUID connectionId) {
    AtomicInteger n = lookups.get(connectionId);
    return n == null ? 0 : n.get();
  }

  public void markReauthRequired(UUID connectionId) {
    reauth.add(connectionId);
  }

  /**
   * The next 409 for the connection is sent only after {@code hook} completes: what happens between
   * oauth-service's decision and sync-service reading it (a reconnect, say).
   */
  public void beforeNextReauthAnswer(UUID connectionId, Supplier<Mono<Void>> hook) {
    reauthHooks.put(connectionId, hook);
  }

  public List<SignedJWT> serviceTokens() {
    return List.copyOf(serviceTokens);
  }

  /**
   * How many times the connection's token was refreshed at Google (the first grant not counted).
   */
  public int refreshes(UUID connectionId) {
    AtomicInteger n = refreshes.get(connectionId);
    return n == null ? 0 : n.get();
  }

  /** How many access-token requests this connection's id received. */
  public int requests(UUID connectionId) {
    AtomicInteger n = requests.get(connectionId);
    return n == null ? 0 : n.get();
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
    requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    return req.receive()
        .aggregate()
        .asString(StandardCharsets.UTF_8)
        .defaultIfEmpty("")
        .flatMap(
            body -> {
              String rejected = null;
              if (!body.isBlank()) {
                JsonNode member = JSON.readTree(body).get("rejected_access_token");
                rejected = member == null || member.isNull() ? null : member.asString();
              }
              return answer(id, rejected, res);
            });
  }

  /** {@code GET /internal/v1/connections/{id}} as oauth-service serves it. */
  private Mono<Void> connection(HttpServerRequest req, HttpServerResponse res) {
    if (!authorized(req)) {
      return res.status(401).send();
    }
    UUID id = UUID.fromString(req.param("id"));
    lookups.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (lookupsFail) {
      return res.status(503)
          .header("Content-Type", "application/problem+json")
          .sendString(
              Mono.just(
                  "{\"type\":\"https://calsync.io/problems/upstream_unavailable\","
                      + "\"title\":\"Service Unavailable\",\"status\":503,"
                      + "\"code\":\"upstream_unavailable\"}"))
          .then();
    }
    Grant grant = grants.get(id);
    if (grant == null || grant.userId == null) {
      return res.status(404).send();
    }
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("connection_id", id.toString());
    body.put("user_id", grant.userId);
    body.put("status", reauth.contains(id) ? "reauth_required" : "active");
    body.put("account_email", grant.email);
    body.put("updated_at", grant.updatedAt.atOffset(ZoneOffset.UTC).toString());
    return res.status(200)
        .header("Content-Type", "application/json")
        .sendString(Mono.just(JSON.writeValueAsString(body)))
        .then();
  }

  private boolean authorized(HttpServerRequest req) {
    String auth = req.requestHeaders().get("Authorization");
    try {
      SignedJWT jwt = SignedJWT.parse(auth.substring("Bearer ".length()));
      return issuer.equals(jwt.getJWTClaimsSet().getIssuer());
    } catch (Exception e) {
      return false;
    }
  }

  private Mono<Void> answer(UUID id, String rejected, HttpServerResponse res) {
    if (reauth.contains(id)) {
      Supplier<Mono<Void>> hook = reauthHooks.remove(id);
      return hook == null ? reauthRequired(res) : hook.get().then(reauthRequired(res));
    }
    Grant grant = grants.get(id);
    if (grant == null) {
      return res.status(404).send();
    }
    return held(id, grant, rejected)
        .flatMap(
            held -> {
              String out =
                  JSON.writeValueAsString(
                      Map.of(
                          "access_token", held.accessToken(),
                          "expires_at", held.expiresAt().atOffset(ZoneOffset.UTC).toString()));
              return res.status(200)
                  .header("Content-Type", "application/json")
                  .header("Cache-Control", "no-store")
                  .sendString(Mono.just(out))
                  .then();
            })
        .onErrorResume(
            GrantGone.class,
            e -> {
              reauth.add(id);
              return reauthRequired(res);
            });
  }

  /**
   * The held tokens, refreshed first when they are near expiry or the caller reports the held
   * access token as rejected. The swap happens under the grant's monitor and only swaps in a cached
   * Mono (nothing blocks there), so concurrent callers with the same rejected token share one
   * refresh.
   */
  private Mono<Held> held(UUID id, Grant grant, String rejected) {
    Mono<Held> current;
    synchronized (grant) {
      if (grant.current == null) {
        grant.current = firstGrant(grant.email).cache();
      }
      current = grant.current;
    }
    return current.flatMap(
        held -> {
          boolean expiring = held.expiresAt().isBefore(Instant.now().plusSeconds(120));
          boolean refused = rejected != null && rejected.equals(held.accessToken());
          if (!expiring && !refused) {
            return Mono.just(held);
          }
          Mono<Held> next;
          synchronized (grant) {
            if (grant.current == current) {
              grant.current = refresh(id, held).cache();
            }
            next = grant.current;
          }
          return next;
        });
  }

  /**
   * The emulator's OAuth flow as oauth-service's connect does it: authorize, then the code
   * exchange.
   */
  private Mono<Held> firstGrant(String email) {
    String base = googleBaseUrl.get();
    String authorize =
        base
            + "/o/oauth2/v2/auth?"
            + form(
                Map.of(
                    "client_id",
                    CLIENT_ID,
                    "redirect_uri",
                    REDIRECT_URI,
                    "response_type",
                    "code",
                    "scope",
                    SCOPES,
                    "access_type",
                    "offline",
                    "prompt",
                    "consent",
                    "state",
                    UUID.randomUUID().toString(),
                    "login_hint",
                    email));
    return HttpClient.create()
        .followRedirect(false)
        .get()
        .uri(authorize)
        .response()
        .map(
            r -> {
              String location = r.responseHeaders().get(HttpHeaderNames.LOCATION);
              if (location == null) {
                throw new IllegalStateException("the emulator's authorize answered " + r.status());
              }
              return query(URI.create(location).getRawQuery()).get("code");
            })
        .flatMap(
            code ->
                token(
                    Map.of(
                        "grant_type", "authorization_code",
                        "code", code,
                        "redirect_uri", REDIRECT_URI,
                        "client_id", CLIENT_ID,
                        "client_secret", CLIENT_SECRET)))
        .map(node -> held(node, null));
  }

  private Mono<Held> refresh(UUID id, Held held) {
    return token(
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                held.refreshToken(),
                "client_id",
                CLIENT_ID,
                "client_secret",
                CLIENT_SECRET))
        .map(node -> held(node, held.refreshToken()))
        .doOnNext(h -> refreshes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
  }

  private Mono<JsonNode> token(Map<String, String> form) {
    return HttpClient.create()
        .headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
        .post()
        .uri(googleBaseUrl.get() + "/token")
        .send(reactor.netty.ByteBufFlux.fromString(Mono.just(form(form))))
        .responseSingle(
            (r, body) ->
                body.asString()
                    .map(
                        text -> {
                          JsonNode node = JSON.readTree(text);
                          if (r.status().code() == 200) {
                            return node;
                          }
                          JsonNode error = node.get("error");
                          if (error != null && "invalid_grant".equals(error.asString())) {
                            throw new GrantGone();
                          }
                          throw new IllegalStateException(
                              "the emulator's token endpoint answered " + r.status());
                        }));
  }

  private static Held held(JsonNode node, String keptRefreshToken) {
    JsonNode refresh = node.get("refresh_token");
    return new Held(
        node.get("access_token").asString(),
        refresh == null || refresh.isNull() ? keptRefreshToken : refresh.asString(),
        Instant.now().plusSeconds(node.get("expires_in").asLong()));
  }

  private static Mono<Void> reauthRequired(HttpServerResponse res) {
    return res.status(409)
        .header("Content-Type", "application/problem+json")
        .sendString(
            Mono.just(
                "{\"type\":\"https://calsync.io/problems/reauth_required\",\"title\":\"Conflict\","
                    + "\"status\":409,\"code\":\"reauth_required\",\"detail\":\"reconnect\"}"))
        .then();
  }

  private static String form(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static Map<String, String> query(String rawQuery) {
    return java.util.Arrays.stream(rawQuery.split("&"))
        .map(p -> p.split("=", 2))
        .collect(
            Collectors.toMap(
                p -> java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "",
                (a, b) -> a));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
