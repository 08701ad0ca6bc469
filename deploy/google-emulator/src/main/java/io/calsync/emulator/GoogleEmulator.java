package io.calsync.emulator;

import static org.springframework.web.reactive.function.server.RequestPredicates.DELETE;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.POST;
import static org.springframework.web.reactive.function.server.RequestPredicates.PUT;
import static org.springframework.web.reactive.function.server.RequestPredicates.method;

import io.calsync.emulator.admin.AdminHandlers;
import io.calsync.emulator.admin.Stats;
import io.calsync.emulator.calendar.BearerAuth;
import io.calsync.emulator.calendar.CalendarHandlers;
import io.calsync.emulator.calendar.CalendarStore;
import io.calsync.emulator.calendar.EventHandlers;
import io.calsync.emulator.fault.FaultInjector;
import io.calsync.emulator.oauth.AuthorizeHandlers;
import io.calsync.emulator.oauth.IdTokens;
import io.calsync.emulator.oauth.OAuthClients;
import io.calsync.emulator.oauth.OAuthHandlers;
import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.push.PushService;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.OAuthException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.node.ObjectNode;

/**
 * An embeddable stand-in for Google OAuth 2.0 and Calendar API v3, served by Reactor Netty with
 * Spring WebFlux functional routes (no Spring Boot auto-configuration).
 *
 * <pre>{@code
 * try (GoogleEmulator google = GoogleEmulator.start(EmulatorOptions.defaults())) {
 *   String base = google.baseUrl(); // http://localhost:<port>
 * }
 * }</pre>
 */
public final class GoogleEmulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GoogleEmulator.class);

  /** The redirect URI registered when run standalone without GOOGLE_REDIRECT_URIS. */
  static final String DEFAULT_REDIRECT_URI = "http://localhost:8080/api/calendar/google/callback/";

  private final EmulatorOptions options;
  private final DisposableServer server;
  private final PushService push;
  private final String baseUrl;

  private GoogleEmulator(
      EmulatorOptions options, DisposableServer server, PushService push, String baseUrl) {
    this.options = options;
    this.server = server;
    this.push = push;
    this.baseUrl = baseUrl;
  }

  /** Starts an emulator on {@code options.port()} (0 = a free port) and returns once it listens. */
  public static GoogleEmulator start(EmulatorOptions options) {
    AtomicReference<String> base = new AtomicReference<>();
    AtomicReference<PushService> pushRef = new AtomicReference<>();
    CalendarStore calendars = new CalendarStore(options.clock());
    OAuthStore oauth =
        new OAuthStore(options.clock(), account -> calendars.createPrimary(account.email()));
    BearerAuth auth = new BearerAuth(oauth);
    FaultInjector faults = new FaultInjector();
    Stats stats = new Stats();
    IdTokens idTokens = new IdTokens(options.clock());
    OAuthClients clients = new OAuthClients(options.clients());
    OAuthHandlers oauthHandlers = new OAuthHandlers(oauth, clients, idTokens);
    AuthorizeHandlers authorizeHandlers = new AuthorizeHandlers(oauth, clients);
    CalendarHandlers calendarHandlers = new CalendarHandlers(calendars, auth);
    EventHandlers eventHandlers = new EventHandlers(calendars, auth);
    AdminHandlers admin =
        new AdminHandlers(
            oauth, calendars, faults, stats, options.clientId(), Schedulers.boundedElastic());
    // The push service needs the base URL, known only after binding: resolve lazily.
    HandlerFunction<ServerResponse> watch = request -> pushRef.get().watch(request);
    HandlerFunction<ServerResponse> stop = request -> pushRef.get().stop(request);

    Ops ops = new Ops(stats, faults);
    RouterFunction<ServerResponse> routes =
        RouterFunctions.<ServerResponse>route()
            // OAuth 2.0
            .GET("/o/oauth2/v2/auth", ops.op("authorize", authorizeHandlers::authorize))
            .GET("/o/oauth2/auth", ops.op("authorize", authorizeHandlers::authorize))
            .POST("/o/oauth2/v2/auth/consent", ops.op("authorize", authorizeHandlers::consent))
            .POST("/token", ops.op("token", oauthHandlers::token))
            .POST("/oauth2/v4/token", ops.op("token", oauthHandlers::token))
            .POST("/revoke", ops.op("revoke", oauthHandlers::revoke))
            .POST("/o/oauth2/revoke", ops.op("revoke", oauthHandlers::revoke))
            .GET("/v1/userinfo", ops.op("userinfo", oauthHandlers::userinfo))
            .GET("/oauth2/v3/userinfo", ops.op("userinfo", oauthHandlers::userinfo))
            .GET("/oauth2/v3/certs", request -> Json.ok(idTokens.jwks()))
            .GET("/.well-known/openid-configuration", request -> Json.ok(discovery(base.get())))
            // Calendar API v3
            .GET(
                "/calendar/v3/users/me/calendarList",
                ops.op("calendarList.list", calendarHandlers::calendarList))
            .GET(
                "/calendar/v3/users/me/calendarList/{calendarId}",
                ops.op("calendarList.get", calendarHandlers::calendarListGet))
            .POST(
                "/calendar/v3/calendars",
                ops.op("calendars.insert", calendarHandlers::calendarsInsert))
            .GET(
                "/calendar/v3/calendars/{calendarId}",
                ops.op("calendars.get", calendarHandlers::calendarsGet))
            .DELETE(
                "/calendar/v3/calendars/{calendarId}",
                ops.op("calendars.delete", calendarHandlers::calendarsDelete))
            .route(
                method(HttpMethod.PATCH)
                    .and(
                        org.springframework.web.reactive.function.server.RequestPredicates.path(
                            "/calendar/v3/calendars/{calendarId}")),
                ops.op("calendars.patch", calendarHandlers::calendarsPatch))
            .POST("/calendar/v3/calendars/{calendarId}/events/watch", ops.op("events.watch", watch))
            .GET(
                "/calendar/v3/calendars/{calendarId}/events",
                ops.op("events.list", eventHandlers::eventsList))
            .POST(
                "/calendar/v3/calendars/{calendarId}/events",
                ops.op("events.insert", eventHandlers::eventsInsert))
            .GET(
                "/calendar/v3/calendars/{calendarId}/events/{eventId}/instances",
                ops.op("events.instances", eventHandlers::eventsInstances))
            .GET(
                "/calendar/v3/calendars/{calendarId}/events/{eventId}",
                ops.op("events.get", eventHandlers::eventsGet))
            .route(
                method(HttpMethod.PATCH)
                    .and(
                        org.springframework.web.reactive.function.server.RequestPredicates.path(
                            "/calendar/v3/calendars/{calendarId}/events/{eventId}")),
                ops.op("events.patch", eventHandlers::eventsPatch))
            .route(
                PUT("/calendar/v3/calendars/{calendarId}/events/{eventId}"),
                ops.op("events.update", eventHandlers::eventsUpdate))
            .route(
                DELETE("/calendar/v3/calendars/{calendarId}/events/{eventId}"),
                ops.op("events.delete", eventHandlers::eventsDelete))
            .route(POST("/calendar/v3/channels/stop"), ops.op("channels.stop", stop))
            // Admin API
            .POST("/emulator/v1/accounts", ops.admin(admin::createAccount))
            .POST("/emulator/v1/accounts/{email}/access-token", ops.admin(admin::accessToken))
            .POST("/emulator/v1/accounts/{email}/seed", ops.admin(admin::seed))
            .POST("/emulator/v1/accounts/{email}/subscriptions", ops.admin(admin::subscribe))
            .POST("/emulator/v1/accounts/{email}/revoke-grants", ops.admin(admin::revokeGrants))
            .POST("/emulator/v1/faults", ops.admin(admin::addFault))
            .DELETE("/emulator/v1/faults", ops.admin(admin::clearFaults))
            .POST(
                "/emulator/v1/calendars/{calendarId}/invalidate-sync-tokens",
                ops.admin(admin::invalidateSyncTokens))
            .GET("/emulator/v1/oauth-settings", ops.admin(admin::getOAuthSettings))
            .PUT("/emulator/v1/oauth-settings", ops.admin(admin::putOAuthSettings))
            .route(GET("/emulator/v1/stats"), ops.admin(admin::stats))
            .DELETE("/emulator/v1/stats", ops.admin(admin::resetStats))
            .GET("/emulator/v1/health", admin::health)
            .build()
            .and(
                RouterFunctions.route(
                    request -> true, request -> ApiException.notFound().toResponse()));

    HandlerStrategies strategies =
        HandlerStrategies.builder()
            .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
            .webFilter(GoogleEmulator::methodOverride)
            .build();
    HttpHandler httpHandler = RouterFunctions.toHttpHandler(routes, strategies);
    DisposableServer server =
        HttpServer.create()
            .host("0.0.0.0")
            .port(options.port())
            // Like Google, gzip larger responses for clients that accept it (the Java client does).
            .compress(2048)
            .handle(new ReactorHttpHandlerAdapter(httpHandler))
            .bindNow(Duration.ofSeconds(30));
    String baseUrl = "http://localhost:" + server.port();
    base.set(baseUrl);
    PushService push =
        new PushService(calendars, auth, options.clock(), baseUrl, Duration.ofMillis(200));
    pushRef.set(push);
    return new GoogleEmulator(options, server, push, baseUrl);
  }

  /**
   * The Java client's NetHttpTransport cannot send PATCH: it POSTs with {@code
   * X-HTTP-Method-Override: PATCH}, which Google honours.
   */
  private static Mono<Void> methodOverride(
      org.springframework.web.server.ServerWebExchange exchange,
      org.springframework.web.server.WebFilterChain chain) {
    String override = exchange.getRequest().getHeaders().getFirst("X-HTTP-Method-Override");
    if (override != null && HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
      HttpMethod method = HttpMethod.valueOf(override.trim().toUpperCase(java.util.Locale.ROOT));
      return chain.filter(exchange.mutate().request(r -> r.method(method)).build());
    }
    return chain.filter(exchange);
  }

  private static ObjectNode discovery(String base) {
    ObjectNode doc = Json.object();
    doc.put("issuer", OAuthHandlers.ISSUER);
    doc.put("authorization_endpoint", base + "/o/oauth2/v2/auth");
    doc.put("token_endpoint", base + "/token");
    doc.put("userinfo_endpoint", base + "/v1/userinfo");
    doc.put("revocation_endpoint", base + "/revoke");
    doc.put("jwks_uri", base + "/oauth2/v3/certs");
    doc.putArray("response_types_supported").add("code");
    doc.putArray("subject_types_supported").add("public");
    doc.putArray("id_token_signing_alg_values_supported").add("RS256");
    doc.putArray("scopes_supported").add("openid").add("email").add("profile");
    doc.putArray("token_endpoint_auth_methods_supported")
        .add("client_secret_post")
        .add("client_secret_basic");
    doc.putArray("code_challenge_methods_supported").add("plain").add("S256");
    doc.putArray("grant_types_supported").add("authorization_code").add("refresh_token");
    return doc;
  }

  /** Wraps handlers: request counting, fault injection, Google-shaped errors. */
  private record Ops(Stats stats, FaultInjector faults) {

    HandlerFunction<ServerResponse> op(String name, HandlerFunction<ServerResponse> handler) {
      return request -> {
        stats.count(name);
        // Handlers hold a calendar's lock and expand recurrences: keep that off the event loop.
        return faults
            .apply(name)
            .then(
                Mono.defer(() -> handler.handle(request)).subscribeOn(Schedulers.boundedElastic()))
            .onErrorResume(ApiException.class, ApiException::toResponse)
            .onErrorResume(OAuthException.class, OAuthException::toResponse)
            .onErrorResume(
                e -> !(e instanceof ApiException || e instanceof OAuthException),
                e -> {
                  log.warn("Unexpected error in {}", name, e);
                  return new ApiException(
                          500, "global", "backendError", "Backend Error", null, null)
                      .toResponse();
                });
      };
    }

    HandlerFunction<ServerResponse> admin(HandlerFunction<ServerResponse> handler) {
      return request ->
          Mono.defer(() -> handler.handle(request))
              .onErrorResume(ApiException.class, ApiException::toResponse)
              .onErrorResume(
                  e -> !(e instanceof ApiException),
                  e -> {
                    ObjectNode body = Json.object();
                    body.put(
                        "error",
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    return Json.respond(400, body);
                  });
    }
  }

  /** The base URL, {@code http://localhost:<port>}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return server.port();
  }

  public EmulatorOptions options() {
    return options;
  }

  @Override
  public void close() {
    push.close();
    server.disposeNow(Duration.ofSeconds(5));
  }

  /** Runs standalone on {@code GOOGLE_EMULATOR_PORT} (default 8090) until killed. */
  public static void main(String[] args) {
    StandaloneLogging.quiet();
    GoogleEmulator emulator = start(fromEnvironment(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "google-emulator-shutdown"));
    log.info(
        "Google emulator listening on {} (OAuth {}/o/oauth2/v2/auth, Calendar {}/calendar/v3/,"
            + " admin {}/emulator/v1/)",
        emulator.baseUrl(),
        emulator.baseUrl(),
        emulator.baseUrl(),
        emulator.baseUrl());
    emulator.server.onDispose().block();
  }

  /**
   * The standalone options: {@code GOOGLE_EMULATOR_PORT}, {@code GOOGLE_CLIENT_ID} and {@code
   * GOOGLE_CLIENT_SECRET} (the main client), {@code GOOGLE_REDIRECT_URIS} (its redirect URIs,
   * comma-separated) and {@code GOOGLE_EXTRA_CLIENTS} (more clients: {@code
   * id,secret,redirect-uri,…} each, separated by {@code ;}).
   */
  static EmulatorOptions fromEnvironment(Map<String, String> env) {
    String portEnv = env.getOrDefault("GOOGLE_EMULATOR_PORT", "8090");
    EmulatorOptions options = EmulatorOptions.defaults().withPort(Integer.parseInt(portEnv.trim()));
    options =
        options.withRedirectUris(
            commaSeparated(env.getOrDefault("GOOGLE_REDIRECT_URIS", DEFAULT_REDIRECT_URI))
                .toArray(String[]::new));
    String clientId = env.get("GOOGLE_CLIENT_ID");
    String clientSecret = env.get("GOOGLE_CLIENT_SECRET");
    if (clientId != null
        && !clientId.isBlank()
        && clientSecret != null
        && !clientSecret.isBlank()) {
      options = options.withClient(clientId, clientSecret);
    }
    String extra = env.getOrDefault("GOOGLE_EXTRA_CLIENTS", "");
    for (String entry : extra.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      // Positional: an empty id or secret must not shift the fields after it.
      String[] fields = entry.split(",", 3);
      if (fields.length < 2 || fields[0].isBlank() || fields[1].isBlank()) {
        // The entry holds a secret: name the variable and the shape, never the text.
        throw new IllegalArgumentException(
            "GOOGLE_EXTRA_CLIENTS: each client is id,secret[,redirect-uri…], separated by ;");
      }
      options =
          options.withExtraClient(
              fields[0].trim(),
              fields[1].trim(),
              commaSeparated(fields.length == 3 ? fields[2] : "").toArray(String[]::new));
    }
    return options;
  }

  private static List<String> commaSeparated(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
  }
}
