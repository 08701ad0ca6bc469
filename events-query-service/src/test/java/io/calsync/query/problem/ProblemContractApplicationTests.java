package io.calsync.query.problem;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.contract.testing.ContractAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rule table of the root README's decision 23, through real HTTP: every error this service can
 * be made to answer has the OpenAPI document's problem shape, its code and {@code instance} = the
 * path. Not here, because no request can cause them: 403 (every valid user token may read its own
 * events), 409 (nothing to conflict with). The 5xx (503 {@code upstream_unavailable}) needs a
 * database that is down, so it is checked in {@code upcoming.web.DatabaseDownApplicationTests}.
 */
@QueryServiceTest
class ProblemContractApplicationTests {

  @LocalServerPort int port;
  private WebTestClient http;

  @BeforeEach
  void setUp() {
    http = TestHttp.client(port);
  }

  @Test
  void whenAParameterIsMalformedThenBadRequestNamingIt() {
    String body =
        problem(http.get().uri(ApiPaths.UPCOMING_EVENTS + "?days=many").headers(this::user), 400);
    assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, ApiPaths.UPCOMING_EVENTS);
    assertThat(body).contains("\"parameter\":\"days\"", "\"title\":\"Bad Request\"");
  }

  @Test
  void whenAParameterNameHoldsControlCharactersThenBadRequest() {
    // found by the fuzzer: Spring Security's firewall refuses the name as the parameters are read
    URI uri = URI.create("http://localhost:" + port + ApiPaths.UPCOMING_EVENTS + "?%00=1&limit=5");
    String body = problem(http.get().uri(uri).headers(this::user), 400);
    assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, ApiPaths.UPCOMING_EVENTS);
    assertThat(body).contains("\"parameter\":\"query\"");
  }

  @Test
  void whenThereIsNoTokenThenUnauthorized() {
    String body = problem(http.get().uri(ApiPaths.UPCOMING_EVENTS), 401);
    assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 401, body);
    assertProblem(body, 401, ProblemCodes.UNAUTHORIZED, ApiPaths.UPCOMING_EVENTS);
  }

  @Test
  void whenThePathIsUnknownThenNotFound() {
    String body = problem(http.get().uri("/api/calendar/events/nope/").headers(this::user), 404);
    assertProblem(body, 404, ProblemCodes.NOT_FOUND, "/api/calendar/events/nope/");
  }

  @Test
  void whenTheMethodIsNotSupportedThenMethodNotAllowed() {
    String body = problem(http.post().uri(ApiPaths.UPCOMING_EVENTS).headers(this::user), 405);
    assertProblem(body, 405, ProblemCodes.METHOD_NOT_ALLOWED, ApiPaths.UPCOMING_EVENTS);
  }

  private String problem(WebTestClient.RequestHeadersSpec<?> request, int status) {
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

  private void user(org.springframework.http.HttpHeaders headers) {
    headers.setBearerAuth(TestInfrastructure.tokenFor("u-problems"));
  }
}
