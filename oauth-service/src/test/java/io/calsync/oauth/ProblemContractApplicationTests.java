package io.calsync.oauth;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.contract.testing.ContractAssertions.assertProblem;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rule table of the root README's decision 23, through real HTTP: a 400, 401, 403, 404, 405,
 * 409 and 503 of this service, each valid against the OpenAPI document's problem schema, with its
 * code and {@code instance} = the path the client asked for.
 */
@OAuthServiceTest
class ProblemContractApplicationTests {

  @Autowired WebTestClient web;
  @LocalServerPort int port;
  @Autowired MutableClock clock;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  @AfterEach
  void cleanUp() {
    GoogleTestSupport.clearFaults();
    clock.reset();
  }

  @Test
  void whenAQueryParameterIsMalformedThenBadRequestNamingIt() {
    String body =
        problem(asUser(newUser()).get().uri(ApiPaths.AUTHORIZE + "?return_to=//evil"), 400);
    assertMatchesOpenApi("GET", ApiPaths.AUTHORIZE, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, ApiPaths.AUTHORIZE);
    assertThat(body).contains("\"parameter\":\"return_to\"");
  }

  @Test
  void whenACallbackParameterNameHoldsControlCharactersThenBadRequest() {
    // found by the fuzzer: Spring Security's firewall refuses the name as the parameters are read
    URI uri = URI.create("http://localhost:" + port + ApiPaths.CALLBACK + "?%00=0&state=s");
    String body = problem(web.get().uri(uri), 400);
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, ApiPaths.CALLBACK);
    assertThat(body).contains("\"parameter\":\"query\"");
  }

  @Test
  void whenTheBodyIsNotJsonThenInvalidBody() {
    String path = "/internal/v1/connections/" + UUID.randomUUID() + "/access-token";
    String body =
        problem(
            asService()
                .post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("not json"),
            400);
    assertMatchesOpenApi("POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_BODY, path);
  }

  @Test
  void whenThereIsNoTokenThenUnauthorized() {
    String body = problem(web.get().uri(ApiPaths.CONNECTIONS), 401);
    assertMatchesOpenApi("GET", ApiPaths.CONNECTIONS, 401, body);
    assertProblem(body, 401, ProblemCodes.UNAUTHORIZED, ApiPaths.CONNECTIONS);
  }

  @Test
  void whenAUserTokenCallsTheInternalApiThenForbidden() {
    String path = "/internal/v1/connections/" + UUID.randomUUID() + "/access-token";
    String body = problem(asUser(newUser()).post().uri(path), 403);
    assertMatchesOpenApi("POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 403, body);
    assertProblem(body, 403, ProblemCodes.FORBIDDEN, path);
  }

  @Test
  void whenTheConnectionIsAnotherUsersThenNotFound() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String path = "/api/calendar/connections/" + id + "/";
    String body = problem(asUser(newUser()).delete().uri(path), 404);
    assertMatchesOpenApi("DELETE", ApiPaths.CONNECTION, 404, body);
    assertProblem(body, 404, ProblemCodes.NOT_FOUND, path);
  }

  @Test
  void whenTheMethodIsNotSupportedThenMethodNotAllowed() {
    String body = problem(asUser(newUser()).put().uri(ApiPaths.CONNECTIONS), 405);
    assertProblem(body, 405, ProblemCodes.METHOD_NOT_ALLOWED, ApiPaths.CONNECTIONS);
  }

  @Test
  void whenTheGrantIsRevokedThenReauthRequired() {
    String email = newGoogleAccount();
    UUID id = browser.connect(newUser(), email);
    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));
    String path = "/internal/v1/connections/" + id + "/access-token";
    String body = problem(asService().post().uri(path), 409);
    assertMatchesOpenApi("POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 409, body);
    assertProblem(body, 409, ProblemCodes.REAUTH_REQUIRED, path);
  }

  @Test
  void whenGoogleIsDownThenUpstreamUnavailable() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    clock.advance(Duration.ofMinutes(59));
    GoogleTestSupport.fault("token", 503, 3);
    String path = "/internal/v1/connections/" + id + "/access-token";
    String body = problem(asService().post().uri(path), 503);
    assertMatchesOpenApi("POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 503, body);
    assertProblem(body, 503, ProblemCodes.UPSTREAM_UNAVAILABLE, path);
  }

  private WebTestClient asUser(String user) {
    return web.mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .build();
  }

  private WebTestClient asService() {
    return web.mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .build();
  }

  private static String problem(WebTestClient.RequestHeadersSpec<?> request, int status) {
    return request
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
