package io.calsync.oauth.support;

import io.calsync.contract.testing.MutableClock;
import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.http.AuthorizationUrlResponse;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Base of the {@code *ApplicationTests}: the whole service on a random port against the shared
 * {@link TestInfrastructure} and the in-process Google emulator. Every test class extends it
 * unchanged, so they all share one Spring context. Tests isolate themselves by using fresh user ids
 * and Google accounts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ApplicationTestSupport.TestClockConfiguration.class)
public abstract class ApplicationTestSupport {

  public static final String WEB_BASE_URL = "http://web.test";
  public static final String REDIRECT_URI = "http://localhost:8080/api/calendar/google/callback/";
  private static final String TOKEN_KEY = randomKey();

  /** The binding cookie of the connect flow this test's browser started last, as a browser keeps it. */
  public static final String BINDING_COOKIE = "calsync_oauth_flow";

  @Autowired protected WebTestClient web;
  @Autowired protected MutableClock clock;
  @LocalManagementPort protected int managementPort;

  /** This test's browser: the binding cookie its last {@link #authorizationUrl} call was given. */
  protected String browserBinding;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    var postgres = TestInfrastructure.postgres();
    String hostPort = "localhost:" + postgres.getPort() + "/" + TestInfrastructure.DATABASE;
    registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://" + hostPort);
    registry.add("spring.flyway.url", () -> "jdbc:postgresql://" + hostPort);
    registry.add("spring.r2dbc.username", () -> "postgres");
    registry.add("spring.r2dbc.password", () -> "postgres");
    registry.add("spring.flyway.user", () -> "postgres");
    registry.add("spring.flyway.password", () -> "postgres");
    registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().getBrokersAsString());
    String issuer = TestInfrastructure.issuerUri();
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> issuer);
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> issuer + "/jwks");
    String google = GoogleTestSupport.baseUrl();
    registry.add("calsync.google.authorization-uri", () -> google + "/o/oauth2/v2/auth");
    registry.add("calsync.google.token-uri", () -> google + "/token");
    registry.add("calsync.google.revoke-uri", () -> google + "/revoke");
    registry.add("calsync.google.userinfo-uri", () -> google + "/v1/userinfo");
    registry.add("calsync.google.redirect-uri", () -> REDIRECT_URI);
    registry.add("calsync.web.base-url", () -> WEB_BASE_URL);
    registry.add("calsync.token.cipher.key", () -> TOKEN_KEY);
    registry.add(
        "calsync.token.cipher.key-file", () -> Path.of("target", "test-oauth-token.key").toString());
  }

  @BeforeEach
  void patientClient() {
    // The first requests of a fresh JVM on a small machine (JIT, JWKS fetch, pool warm-up) can be slow.
    // The test client reads answers larger than the service's own request-body cap (Prometheus' page).
    web =
        web.mutate()
            .responseTimeout(Duration.ofSeconds(30))
            .codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  /** A client of the management port, where actuator lives. */
  protected WebTestClient management() {
    return WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + managementPort)
        .responseTimeout(Duration.ofSeconds(30))
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
        .build();
  }

  protected static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  protected static String newGoogleAccount() {
    return "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  /**
   * {@code GET /api/calendar/google/authorize/} as the user from this test's browser, which keeps the
   * binding cookie it is given; answers the authorization URL.
   */
  protected String authorizationUrl(String userId, String returnTo) {
    EntityExchangeResult<AuthorizationUrlResponse> result =
        web.get()
            .uri(
                b ->
                    returnTo == null
                        ? b.path("/api/calendar/google/authorize/").build()
                        : b.path("/api/calendar/google/authorize/").queryParam("return_to", "{r}").build(returnTo))
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(userId))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(AuthorizationUrlResponse.class)
            .returnResult();
    ResponseCookie cookie = result.getResponseCookies().getFirst(BINDING_COOKIE);
    browserBinding = cookie == null ? null : cookie.getValue();
    return result.getResponseBody().authorizationUrl();
  }

  /** Google's redirect arriving at the callback in this test's browser; answers where it is sent. */
  protected URI callback(Map<String, String> query) {
    return callbackWithCookie(query, browserBinding);
  }

  /** Google's redirect arriving in a browser that did not start the flow (no binding cookie). */
  protected URI callbackInAnotherBrowser(Map<String, String> query) {
    return callbackWithCookie(query, null);
  }

  protected URI callbackWithCookie(Map<String, String> query, String binding) {
    return callbackExchange(query, binding).getResponseHeaders().getLocation();
  }

  /** The callback's whole answer, for its headers. */
  protected EntityExchangeResult<Void> callbackExchange(Map<String, String> query, String binding) {
    WebTestClient.RequestHeadersSpec<?> request =
        web.get()
            .uri(
                b -> {
                  b.path("/api/calendar/google/callback/");
                  query.forEach((name, value) -> b.queryParam(name, "{" + name + "}"));
                  return b.build(query);
                });
    if (binding != null) {
      request = request.cookie(BINDING_COOKIE, binding);
    }
    return request.exchange().expectStatus().isFound().expectBody(Void.class).returnResult();
  }

  /** The whole flow: authorize, consent at the emulator as {@code email}, callback. */
  protected UUID connect(String userId, String email) {
    URI location = callback(GoogleTestSupport.consent(authorizationUrl(userId, null), email));
    String id = queryParam(location, "connection_id");
    if (id == null) {
      throw new IllegalStateException("Connect failed: " + location);
    }
    return UUID.fromString(id);
  }

  protected static String queryParam(URI uri, String name) {
    return UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
  }

  /** The internal API as sync-service calls it. */
  protected WebTestClient.ResponseSpec internalAccessToken(UUID connectionId) {
    return web.post()
        .uri("/internal/v1/connections/{id}/access-token", connectionId)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .exchange();
  }

  protected AccessTokenResponse accessToken(UUID connectionId) {
    return internalAccessToken(connectionId)
        .expectStatus()
        .isOk()
        .expectBody(AccessTokenResponse.class)
        .returnResult()
        .getResponseBody();
  }

  /** The service's local token key (version 1), to write ciphertexts as an older build would have. */
  protected static byte[] tokenKey() {
    return Base64.getDecoder().decode(TOKEN_KEY);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class TestClockConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
      return new MutableClock();
    }
  }
}
