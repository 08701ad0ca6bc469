package io.calsync.oauth.support;

import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.http.AuthorizationUrlResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * One test's browser (and sync-service's calls) against the running service of an {@link
 * OAuthServiceTest}: it keeps the binding cookie of the connect flow it started last, as a browser
 * does. Create one per test: {@code new Browser(web)} with the injected {@link WebTestClient}.
 */
public final class Browser {

  /** The binding cookie of the connect flow. */
  public static final String BINDING_COOKIE = "calsync_oauth_flow";

  private final WebTestClient web;
  private String binding;

  public Browser(WebTestClient web) {
    this.web = web;
  }

  /** The binding cookie its last {@link #authorizationUrl} call was given; null before. */
  public String binding() {
    return binding;
  }

  public static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  public static String newGoogleAccount() {
    return "alice-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  public static String queryParam(URI uri, String name) {
    return UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst(name);
  }

  /** A client of the management port, where actuator lives. */
  public static WebTestClient management(int managementPort) {
    return WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + managementPort)
        .responseTimeout(Duration.ofSeconds(30))
        .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
        .build();
  }

  /**
   * {@code GET /api/calendar/google/authorize/} as the user from this browser, which keeps the
   * binding cookie it is given; answers the authorization URL.
   */
  public String authorizationUrl(String userId, String returnTo) {
    EntityExchangeResult<AuthorizationUrlResponse> result =
        web.get()
            .uri(
                b ->
                    returnTo == null
                        ? b.path("/api/calendar/google/authorize/").build()
                        : b.path("/api/calendar/google/authorize/")
                            .queryParam("return_to", "{r}")
                            .build(returnTo))
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(userId))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(AuthorizationUrlResponse.class)
            .returnResult();
    ResponseCookie cookie = result.getResponseCookies().getFirst(BINDING_COOKIE);
    binding = cookie == null ? null : cookie.getValue();
    return result.getResponseBody().authorizationUrl();
  }

  /** Google's redirect arriving at the callback in this browser; answers where it is sent. */
  public URI callback(Map<String, String> query) {
    return callbackWithCookie(query, binding);
  }

  /** Google's redirect arriving in a browser that did not start the flow (no binding cookie). */
  public URI callbackInAnotherBrowser(Map<String, String> query) {
    return callbackWithCookie(query, null);
  }

  public URI callbackWithCookie(Map<String, String> query, String binding) {
    return callbackExchange(query, binding).getResponseHeaders().getLocation();
  }

  /** The callback's whole answer, for its headers. */
  public EntityExchangeResult<Void> callbackExchange(Map<String, String> query, String binding) {
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
  public UUID connect(String userId, String email) {
    URI location = callback(GoogleTestSupport.consent(authorizationUrl(userId, null), email));
    String id = queryParam(location, "connection_id");
    if (id == null) {
      throw new IllegalStateException("Connect failed: " + location);
    }
    return UUID.fromString(id);
  }

  /** The internal API as sync-service calls it. */
  public WebTestClient.ResponseSpec internalAccessToken(UUID connectionId) {
    return web.post()
        .uri("/internal/v1/connections/{id}/access-token", connectionId)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .exchange();
  }

  /** The internal API as sync-service calls it, with a JSON body. */
  public WebTestClient.ResponseSpec internalAccessToken(UUID connectionId, String json) {
    return web.post()
        .uri("/internal/v1/connections/{id}/access-token", connectionId)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchange();
  }

  public AccessTokenResponse accessToken(UUID connectionId) {
    return internalAccessToken(connectionId)
        .expectStatus()
        .isOk()
        .expectBody(AccessTokenResponse.class)
        .returnResult()
        .getResponseBody();
  }
}
