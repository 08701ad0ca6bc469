package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.contract.testing.ContractAssertions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The gateway with real HTTP on all sides: a mock OIDC issuer minting real signed tokens, and three
 * stub upstreams (one per service) that record what reaches them.
 */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
// the line per routed request, off by default (RoutedRequestLogFilter)
@TestPropertySource(properties = "logging.level.io.calsync.gateway.routed=DEBUG")
class GatewayApplicationTests {

  static final StubPlatform platform = StubPlatform.start();
  static final MockOAuth2Server issuer = platform.issuer;
  static final StubUpstream oauth = platform.oauth;
  static final StubUpstream sync = platform.sync;
  static final StubUpstream query = platform.query;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    platform.register(registry);
    registry.add("spring.cloud.gateway.server.webflux.httpclient.response-timeout", () -> "1s");
    registry.add("resilience4j.timelimiter.configs.default.timeout-duration", () -> "2s");
    // as behind a TLS-terminating proxy
    registry.add("server.forward-headers-strategy", () -> "framework");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(GatewayApplicationTests.class);

  @Autowired WebTestClient client;
  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @BeforeEach
  void reset() {
    platform.reset();
  }

  static String token() {
    return issuer.issueToken("dev", "user-1", "calendar", Map.of(), 3600).serialize();
  }

  // --- routing --------------------------------------------------------------------------------

  @Test
  void shouldRouteEveryPublicPathToItsServiceWithTheAuthorizationHeader() {
    String token = token();
    Map<String, StubUpstream> routes =
        Map.of(
            "/api/calendar/google/authorize/?return_to=/settings", oauth,
            "/api/calendar/connections/", oauth,
            "/api/calendar/calendars/", sync,
            "/api/calendar/sync/status/", sync,
            "/api/calendar/events/upcoming/?days=7&tz=Europe/Berlin", query);
    routes.forEach(
        (uri, upstream) -> {
          upstream.reset();
          client
              .get()
              .uri(uri)
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .exchange()
              .expectStatus()
              .isOk()
              .expectBody()
              .jsonPath("$.service")
              .isEqualTo(serviceName(upstream));
          assertThat(upstream.requests())
              .singleElement()
              .satisfies(
                  r -> {
                    assertThat(r.uri()).isEqualTo(uri);
                    assertThat(r.authorization()).isEqualTo("Bearer " + token);
                  });
        });
  }

  @Test
  void shouldPassWriteRequestsWithTheirBodies() {
    String token = token();
    client
        .patch()
        .uri("/api/calendar/calendars/6c0f3d1e-1111-4222-8333-944445555666/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"selected\":false}")
        .exchange()
        .expectStatus()
        .isOk();
    client
        .post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isOk();
    client
        .delete()
        .uri("/api/calendar/connections/6c0f3d1e-1111-4222-8333-944445555666/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk();

    assertThat(sync.requests())
        .extracting(
            StubUpstream.Recorded::method, StubUpstream.Recorded::uri, StubUpstream.Recorded::body)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "PATCH",
                "/api/calendar/calendars/6c0f3d1e-1111-4222-8333-944445555666/",
                "{\"selected\":false}"),
            org.assertj.core.groups.Tuple.tuple("POST", "/api/calendar/sync/", "{}"));
    assertThat(oauth.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("DELETE"));
  }

  @Test
  void shouldServeAPathWithoutTrailingSlashLikeTheCanonicalOne() {
    String token = token();
    client
        .get()
        .uri("/api/calendar/connections")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo("oauth-service");
    client
        .get()
        .uri("/api/calendar/events/upcoming?days=3")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo("events-query-service");

    assertThat(oauth.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("/api/calendar/connections/"));
    assertThat(query.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("/api/calendar/events/upcoming/?days=3"));
  }

  @Test
  void shouldPassTheCallbackWithoutTokenAndKeepItsLocation() {
    client
        .get()
        .uri("/api/calendar/google/callback/?code=abc&state=xyz")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .valueEquals(HttpHeaders.LOCATION, StubUpstream.CALLBACK_LOCATION);
    assertThat(oauth.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.uri()).isEqualTo("/api/calendar/google/callback/?code=abc&state=xyz");
              assertThat(r.authorization()).isNull();
            });
  }

  @Test
  void shouldPassGoogleNotificationsWithoutToken() {
    client
        .post()
        .uri("/api/calendar/google/notifications/")
        .header("X-Goog-Channel-ID", "ch-1")
        .header("X-Goog-Resource-State", "exists")
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(sync.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.uri()).isEqualTo("/api/calendar/google/notifications/"));
  }

  @Test
  void shouldStreamServerSentEventsThroughWithoutAResponseTimeout() {
    Flux<String> body =
        client
            .get()
            .uri("/api/calendar/events/stream/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
            .returnResult(String.class)
            .getResponseBody();
    StepVerifier.create(body).expectNext("{\"n\":1}").expectNext("{\"n\":2}").verifyComplete();
  }

  // --- tracing --------------------------------------------------------------------------------

  @Test
  void shouldContinueTheCallersTraceInTheProxiedRequest(CapturedOutput output) {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String callerSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    client
        .get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(oauth.requests())
        .singleElement()
        .extracting(StubUpstream.Recorded::traceparent)
        .asString()
        // the same trace, in a span of the gateway's own (a child of the caller's)
        .matches("00-" + traceId + "-[0-9a-f]{16}-01")
        .isNotEqualTo("00-" + traceId + "-" + callerSpanId + "-01");
    // the gateway's line for the request, in its trace; without the path (nor the token)
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(output.getOut().lines())
                    .filteredOn(line -> line.contains("Routed GET to oauth-service: 200"))
                    .anySatisfy(line -> assertThat(line).contains(traceId)));
    assertThat(output.getOut()).doesNotContain("Routed GET /api");
  }

  @Test
  void shouldStartATraceForARequestThatCarriesNone() {
    client
        .get()
        .uri("/api/calendar/calendars/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(sync.requests())
        .singleElement()
        .extracting(StubUpstream.Recorded::traceparent)
        .asString()
        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
  }

  // --- security -------------------------------------------------------------------------------

  @Test
  void shouldAnswer401ProblemWithoutToken() {
    expectUnauthorized(client.get().uri("/api/calendar/connections/").exchange());
    assertThat(oauth.requests()).isEmpty();
  }

  @Test
  void shouldAnswer401ProblemForAnExpiredToken() {
    String expired = issuer.issueToken("dev", "user-1", "calendar", Map.of(), -3600).serialize();
    expectUnauthorized(
        client
            .get()
            .uri("/api/calendar/events/upcoming/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + expired)
            .exchange());
    assertThat(query.requests()).isEmpty();
  }

  @Test
  void shouldAnswer401ProblemForATokenWithAnotherAudience() {
    String other = issuer.issueToken("dev", "user-1", "some-other-api", Map.of(), 3600).serialize();
    expectUnauthorized(
        client
            .get()
            .uri("/api/calendar/calendars/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
            .exchange());
    assertThat(sync.requests()).isEmpty();
  }

  @Test
  void shouldAnswer401ProblemForATokenOfAnotherIssuer() {
    String other = issuer.issueToken("elsewhere", "user-1", "calendar", Map.of(), 3600).serialize();
    expectUnauthorized(
        client
            .get()
            .uri("/api/calendar/calendars/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + other)
            .exchange());
    assertThat(sync.requests()).isEmpty();
  }

  private static void expectUnauthorized(WebTestClient.ResponseSpec response) {
    response
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentType("application/problem+json")
        .expectHeader()
        .exists(HttpHeaders.WWW_AUTHENTICATE)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(401)
        .jsonPath("$.code")
        .isEqualTo("unauthorized")
        .jsonPath("$.type")
        .isEqualTo("https://calsync.io/problems/unauthorized")
        .jsonPath("$.title")
        .isEqualTo("Unauthorized");
  }

  @Test
  void shouldAnswer403ProblemForAnEndpointNobodyMayUse() {
    client
        .get()
        .uri("/actuator/env")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(403)
        .jsonPath("$.code")
        .isEqualTo("forbidden");
  }

  @Test
  void shouldAllowTheWebClientOriginByCors() {
    client
        .options()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.ORIGIN, "http://localhost:8080")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080");
    client
        .options()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.ORIGIN, "http://evil.example")
        .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  /**
   * The rule table of the root README's decision 23 for the gateway's own answers, through real
   * HTTP: each body valid against the OpenAPI document's problem schema, with its code and {@code
   * instance} = the path the client asked for. Not here: 400 and 409, which the gateway never
   * answers itself (an upstream's own problems pass through); the 503 of an upstream that is down
   * is in {@link GatewayUpstreamDownApplicationTests}, the 429 in {@link
   * RateLimitApplicationTests}.
   */
  @Nested
  class ProblemContract {

    @Test
    void whenThereIsNoTokenThenUnauthorized() {
      String body = problem(client.get().uri(ApiPaths.CALENDARS), 401);
      ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.CALENDARS, 401, body);
      ContractAssertions.assertProblem(body, 401, ProblemCodes.UNAUTHORIZED, ApiPaths.CALENDARS);
    }

    @Test
    void whenNobodyMayUseTheEndpointThenForbidden() {
      String body =
          problem(
              client
                  .get()
                  .uri("/actuator/env")
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token()),
              403);
      ContractAssertions.assertProblem(body, 403, ProblemCodes.FORBIDDEN, "/actuator/env");
    }

    @Test
    void whenThePathIsUnknownThenNotFound() {
      String path = "/api/calendar/nothing-here/";
      String body =
          problem(
              client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token()), 404);
      ContractAssertions.assertProblem(body, 404, ProblemCodes.NOT_FOUND, path);
    }

    @Test
    void whenTheBodyIsTooLargeThenPayloadTooLarge() {
      String path = "/api/calendar/calendars/" + UUID.randomUUID() + "/";
      String body =
          problem(
              client
                  .patch()
                  .uri(path)
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue("{\"selected\":\"" + "x".repeat(70 * 1024) + "\"}"),
              413);
      ContractAssertions.assertProblem(body, 413, ProblemCodes.PAYLOAD_TOO_LARGE, path);
      assertThat(sync.requests()).isEmpty();
    }

    @Test
    void whenTheUpstreamIsSlowThenUpstreamTimeout() {
      String body =
          problem(
              client
                  .get()
                  .uri(ApiPaths.UPCOMING_EVENTS + "?slow=1")
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token()),
              504);
      ContractAssertions.assertProblem(
          body, 504, ProblemCodes.UPSTREAM_TIMEOUT, ApiPaths.UPCOMING_EVENTS);
    }

    @Test
    void whenTheFirewallRefusesThePathThenBadRequestNamingIt() {
      // Spring Security's firewall refuses encoded dots before any filter; found by the fuzzer
      String path = "/api/calendar/%2e%2e/internal/v1/connections/";
      String body =
          problem(
              client
                  .get()
                  .uri(URI.create("http://localhost:" + port + path))
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token()),
              400);
      ContractAssertions.assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, path);
      assertThat(body).contains("\"parameter\":\"path\"");
    }

    @Test
    void whenTheFirewallRefusesTheMethodThenMethodNotAllowed() {
      String body =
          problem(
              client
                  .method(HttpMethod.TRACE)
                  .uri(ApiPaths.CALENDARS)
                  .header(HttpHeaders.AUTHORIZATION, "Bearer " + token()),
              405);
      ContractAssertions.assertProblem(
          body, 405, ProblemCodes.METHOD_NOT_ALLOWED, ApiPaths.CALENDARS);
      assertThat(sync.requests()).isEmpty();
    }

    private String problem(WebTestClient.RequestHeadersSpec<?> request, int status) {
      return request
          .exchange()
          .expectStatus()
          .isEqualTo(status)
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody(String.class)
          .returnResult()
          .getResponseBody();
    }
  }

  // --- the gateway's own errors ----------------------------------------------------------------

  @Test
  void shouldNeverRouteInternalPaths() {
    for (String path :
        List.of(
            "/internal/v1/connections/c1/access-token", "/internal", "/fallback/oauth-service")) {
      client
          .post()
          .uri(path)
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
          .exchange()
          .expectStatus()
          .isNotFound()
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("not_found");
    }
    assertThat(oauth.requests()).isEmpty();
  }

  @Test
  void shouldAnswer404ProblemForAnUnknownPath() {
    client
        .get()
        .uri("/no/such/page")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found")
        .jsonPath("$.status")
        .isEqualTo(404);
    client
        .get()
        .uri("/api/calendar/nothing-here/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void shouldAnswer504ProblemWhenTheUpstreamIsSlow() {
    client
        .get()
        .uri("/api/calendar/events/upcoming/?slow=1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_timeout")
        .jsonPath("$.status")
        .isEqualTo(504)
        .jsonPath("$.instance")
        .isEqualTo("/api/calendar/events/upcoming/")
        .jsonPath("$.detail")
        .value(detail -> assertThat((String) detail).contains("events-query-service"));
    // a timed-out GET is not retried: the slow upstream saw exactly one request
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(query.requests()).hasSize(1));
  }

  @Test
  void shouldNotCutTheRoutesThatCallGoogleAtTheGlobalResponseTimeout() {
    // global response timeout 1 s, default time limiter 2 s; the stand-in answers after 3 s. The
    // callback and DELETE of a connection have their own, longer budget (README, Timeout budget).
    client
        .get()
        .uri("/api/calendar/google/callback/?code=abc&state=xyz&slow=1")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .valueEquals(HttpHeaders.LOCATION, StubUpstream.CALLBACK_LOCATION);
    client
        .delete()
        .uri("/api/calendar/connections/c1/?slow=1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.service")
        .isEqualTo("oauth-service");
    // the other oauth-service routes keep the global timeout
    client
        .get()
        .uri("/api/calendar/connections/?slow=1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_timeout");
  }

  @Test
  void shouldRetryIdempotentGetsOnlyAndPassTheServicesOwnProblemOn() {
    String token = token();
    client
        .get()
        .uri("/api/calendar/sync/status/?unavailable=1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("database down");
    assertThat(sync.requests()).hasSize(3).allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));

    sync.reset();
    client
        .post()
        .uri("/api/calendar/sync/?unavailable=1")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(sync.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  @Test
  void shouldNeverRetryTheOAuthCallbackWhoseCodeIsSingleUse() {
    client
        .get()
        .uri("/api/calendar/google/callback/?code=abc&state=xyz&unavailable=1")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(oauth.requests()).hasSize(1);
  }

  // --- web client and operations ---------------------------------------------------------------

  @Test
  void shouldServeTheWebClient() {
    for (String page : List.of("/", "/settings")) {
      client
          .get()
          .uri(page)
          .exchange()
          .expectStatus()
          .isOk()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.TEXT_HTML)
          .expectHeader()
          .exists("Content-Security-Policy")
          .expectBody(String.class)
          .value(html -> assertThat(html).contains("<title>").contains("/assets/"));
    }
    for (String asset :
        List.of(
            "/assets/app.css",
            "/assets/auth.js",
            "/assets/api.js",
            "/assets/dashboard.js",
            "/assets/settings.js")) {
      client.get().uri(asset).exchange().expectStatus().isOk();
    }
  }

  @Test
  void shouldExposeHealthProbesInfoAndPrometheusOnTheManagementPortOnly() {
    WebTestClient management =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + managementPort)
            // a scrape carries every route's latency buckets: larger than the default 256 KiB
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build();
    assertThat(managementPort).isNotEqualTo(port);
    management
        .get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    management.get().uri("/actuator/info").exchange().expectStatus().isOk();
    // one routed call so that the gateway's request metric exists
    client
        .get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .exchange()
        .expectStatus()
        .isOk();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                management
                    .get()
                    .uri("/actuator/prometheus")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(String.class)
                    .value(
                        metrics ->
                            assertThat(metrics)
                                .contains("application=\"gateway\"")
                                // requests, latency and status per route
                                .contains("spring_cloud_gateway_requests_seconds_bucket{")
                                .containsPattern(
                                    "spring_cloud_gateway_requests_seconds_count\\{[^}]*"
                                        + "routeId=\"oauth-service\"[^}]*status=\"OK\"")
                                // each upstream's circuit breaker, by state
                                .containsPattern(
                                    "resilience4j_circuitbreaker_state\\{[^}]*"
                                        + "name=\"oauth-service\"[^}]*state=\"closed\"[^}]*\\} 1")
                                // the gateway's own refusals before routing
                                .contains("calsync_gateway_rejections_total{")));
    management.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
    // the public port serves no actuator endpoint at all
    for (String path :
        List.of(
            "/actuator/health",
            "/actuator/health/readiness",
            "/actuator/info",
            "/actuator/prometheus")) {
      client.get().uri(path).exchange().expectStatus().isNotFound();
    }
  }

  private static String serviceName(StubUpstream upstream) {
    return upstream == oauth
        ? "oauth-service"
        : upstream == sync ? "sync-service" : "events-query-service";
  }

  @Test
  void shouldSendSecurityHeadersOnEveryAnswer() {
    Map<String, WebTestClient.ResponseSpec> answers =
        Map.of(
            "page",
            client.get().uri("/").exchange(),
            "settings page",
            client.get().uri("/settings").exchange(),
            "asset",
            client.get().uri("/assets/app.css").exchange(),
            "proxied API answer",
            client
                .get()
                .uri("/api/calendar/connections/")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange(),
            "401 problem",
            client.get().uri("/api/calendar/connections/").exchange(),
            "404 problem",
            client.get().uri("/no/such/page").exchange(),
            "internal path",
            client.get().uri("/internal/v1/connections/x/access-token").exchange(),
            "redirect",
            client
                .get()
                .uri("/api/calendar/connections")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange());
    answers.forEach(
        (what, answer) -> {
          log.info("security headers of the {}", what);
          answer
              .expectHeader()
              .valueEquals("X-Content-Type-Options", "nosniff")
              .expectHeader()
              .valueEquals("X-Frame-Options", "DENY")
              .expectHeader()
              .value(
                  "Content-Security-Policy",
                  csp ->
                      assertThat(csp)
                          .contains("frame-ancestors 'none'")
                          .contains("default-src 'self'")
                          .contains("script-src 'self'")
                          .contains("object-src 'none'")
                          .doesNotContain("unsafe-inline")
                          .doesNotContain("unsafe-eval"))
              .expectHeader()
              .valueEquals("Referrer-Policy", "no-referrer")
              // plain http: no HSTS
              .expectHeader()
              .doesNotExist("Strict-Transport-Security");
        });
  }

  @Test
  void shouldSendHstsWhenServedOverHttps() {
    client
        .get()
        .uri("/")
        .header("X-Forwarded-Proto", "https")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .value(
            "Strict-Transport-Security",
            hsts -> assertThat(hsts).contains("max-age=31536000").contains("includeSubDomains"));
    client
        .get()
        .uri("/api/calendar/connections/")
        .header("X-Forwarded-Proto", "https")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .exists("Strict-Transport-Security");
  }
}
