package io.calsync.sync.web;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.contract.testing.ContractAssertions.assertProblem;
import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.oauth;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestKafkaConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rule table of the root README's decision 23, through real HTTP: each error this service can
 * be made to answer has the OpenAPI document's problem shape, its code and {@code instance} = the
 * path. Not here: 403, which no request of the API can cause (any valid user token may use the
 * whole API); the operator endpoints of the management port answer it ({@link
 * OperatorEndpointsApplicationTests}).
 */
@SyncServiceTest
class ProblemContractApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;

  @Test
  void whenAPathVariableIsNoUuidThenBadRequestNamingIt() {
    String path = "/api/calendar/calendars/not-a-uuid/";
    String body = problem(HttpMethod.PATCH, path, "u-problems", "{\"selected\":true}", 400);
    assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, path);
    assertThat(body).contains("\"parameter\":\"id\"");
  }

  @Test
  void whenTheBodyIsNotAJsonObjectThenInvalidBody() {
    String body = problem(HttpMethod.POST, ApiPaths.SYNC, "u-problems", "[1]", 400);
    assertMatchesOpenApi("POST", ApiPaths.SYNC, 400, body);
    assertProblem(body, 400, ProblemCodes.INVALID_BODY, ApiPaths.SYNC);
  }

  @Test
  void whenThereIsNoTokenThenUnauthorized() {
    String body = problem(HttpMethod.GET, ApiPaths.CALENDARS, null, null, 401);
    assertMatchesOpenApi("GET", ApiPaths.CALENDARS, 401, body);
    assertProblem(body, 401, ProblemCodes.UNAUTHORIZED, ApiPaths.CALENDARS);
  }

  @Test
  void whenTheCalendarIsUnknownThenNotFound() {
    String path = "/api/calendar/calendars/" + UUID.randomUUID() + "/";
    String body = problem(HttpMethod.PATCH, path, "u-problems", "{\"selected\":true}", 404);
    assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 404, body);
    assertProblem(body, 404, ProblemCodes.NOT_FOUND, path);
  }

  @Test
  void whenTheMethodIsNotSupportedThenMethodNotAllowed() {
    String body = problem(HttpMethod.DELETE, ApiPaths.SYNC, "u-problems", null, 405);
    assertProblem(body, 405, ProblemCodes.METHOD_NOT_ALLOWED, ApiPaths.SYNC);
  }

  @Test
  void whenTheGrantIsGoneThenReauthRequired() throws Exception {
    String user = "problems-" + UUID.randomUUID();
    String email = uniqueEmail("problems-gone");
    google.account(email);
    UUID gone = UUID.randomUUID();
    oauth.register(gone, email);
    oauth.markReauthRequired(gone);
    app.send(new ConnectionConnected(gone, user, now(), "google", email, List.of()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "reauth_required".equals(app.connectionState(gone)));

    String body =
        problem(HttpMethod.POST, ApiPaths.SYNC, user, "{\"connection_id\":\"" + gone + "\"}", 409);
    assertMatchesOpenApi("POST", ApiPaths.SYNC, 409, body);
    assertProblem(body, 409, ProblemCodes.REAUTH_REQUIRED, ApiPaths.SYNC);
  }

  @Test
  void whenKafkaDoesNotAcknowledgeThenUpstreamUnavailable() throws Exception {
    String user = "problems-" + UUID.randomUUID();
    String email = uniqueEmail("problems-kafka");
    google.account(email);
    google.seed(email, "primary", 1, 1);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    UUID calendarId = app.primaryCalendar(conn);
    String path = "/api/calendar/calendars/" + calendarId + "/";
    TestKafkaConfig.failWhen = r -> r.value().contains(calendarId.toString());
    String body;
    try {
      body = problem(HttpMethod.PATCH, path, user, "{\"selected\":false}", 503);
    } finally {
      TestKafkaConfig.failWhen = r -> false;
    }
    assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 503, body);
    assertProblem(body, 503, ProblemCodes.UPSTREAM_UNAVAILABLE, path);
  }

  @Test
  void whenAHeaderHoldsControlCharactersThenBadRequestNamingIt() {
    // found by the fuzzer: Spring Security's firewall refuses the value as the webhook reads it
    String body =
        web.post()
            .uri(ApiPaths.GOOGLE_NOTIFICATIONS)
            .header("X-Goog-Channel-ID", "channel\u0085")
            .header("X-Goog-Resource-ID", "resource")
            .header("X-Goog-Resource-State", "exists")
            .exchange()
            .expectStatus()
            .isEqualTo(400)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertProblem(body, 400, ProblemCodes.INVALID_PARAMETER, ApiPaths.GOOGLE_NOTIFICATIONS);
    assertThat(body).contains("\"parameter\":\"X-Goog-Channel-ID\"");
  }

  private String problem(HttpMethod method, String path, String user, String json, int status) {
    WebTestClient.RequestBodySpec request = web.method(method).uri(path);
    if (user != null) {
      request.header(HttpHeaders.AUTHORIZATION, bearer(user));
    }
    WebTestClient.RequestHeadersSpec<?> ready =
        json == null ? request : request.contentType(MediaType.APPLICATION_JSON).bodyValue(json);
    return ready
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
