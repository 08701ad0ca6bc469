package io.calsync.sync.web;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.oauth;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.EventChanges.Received;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The public API of sync-service over real HTTP, with real JWTs from the OIDC issuer. */
@SyncServiceTest
class SyncApiApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired MutableClock clock;

  private String user;
  private String email;
  private UUID conn;
  private UUID calendarId;

  @BeforeEach
  void connectedAccount() throws Exception {
    user = "api-" + UUID.randomUUID();
    email = uniqueEmail("api");
    google.account(email);
    google.seed(email, "primary", 5, 10);
    conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    calendarId = app.primaryCalendar(conn);
  }

  private WebTestClient.RequestHeadersSpec<?> get(String path, String asUser) {
    return web.get().uri(path).header(HttpHeaders.AUTHORIZATION, bearer(asUser));
  }

  private WebTestClient.ResponseSpec patch(String path, String asUser, String body) {
    return web.patch()
        .uri(path)
        .header(HttpHeaders.AUTHORIZATION, bearer(asUser))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private WebTestClient.ResponseSpec post(String path, String asUser, String body) {
    return web.post()
        .uri(path)
        .header(HttpHeaders.AUTHORIZATION, bearer(asUser))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  @Test
  void withoutATokenEveryApiIs401ProblemJson() {
    web.get()
        .uri("/api/calendar/calendars/")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthorized");
    web.get()
        .uri("/api/calendar/sync/status/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-jwt")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void responsesMatchTheOpenApiDocument() {
    String calendars =
        get("/api/calendar/calendars/", user)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.CALENDARS, 200, calendars);
    String status =
        get("/api/calendar/sync/status/", user)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.SYNC_STATUS, 200, status);
    String patched =
        patch("/api/calendar/calendars/" + calendarId + "/", user, "{\"selected\":true}")
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 200, patched);
    String bad =
        patch("/api/calendar/calendars/" + calendarId + "/", user, "{}")
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi(
        "PATCH", ApiPaths.CALENDAR, 400, "application/problem+json", bad);
    String accepted =
        post("/api/calendar/sync/", user, "{}")
            .expectStatus()
            .isAccepted()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("POST", ApiPaths.SYNC, 202, accepted);
    String notFound =
        post("/api/calendar/sync/", user, "{\"connection_id\":\"" + UUID.randomUUID() + "\"}")
            .expectStatus()
            .isNotFound()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi(
        "POST", ApiPaths.SYNC, 404, "application/problem+json", notFound);
    app.awaitIdle(conn);
  }

  @Test
  void actuatorProbesAndMetricsAreOpenOnTheManagementPortOnly() {
    WebTestClient management =
        WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
    management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    management.get().uri("/actuator/info").exchange().expectStatus().isOk();
    String metrics =
        management
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains("calsync_sync_runs_total")
        .contains("application=\"sync-service\"");
    management.get().uri("/actuator/env").exchange().expectStatus().isUnauthorized();
    web.get().uri("/actuator/health/readiness").exchange().expectStatus().isNotFound();
  }

  @LocalManagementPort int managementPort;

  @Test
  void listsOnlyTheCallersCalendars() {
    get("/api/calendar/calendars/", user)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.calendars.length()")
        .isEqualTo(1)
        .jsonPath("$.calendars[0].id")
        .isEqualTo(calendarId.toString())
        .jsonPath("$.calendars[0].connection_id")
        .isEqualTo(conn.toString())
        .jsonPath("$.calendars[0].name")
        .isNotEmpty()
        .jsonPath("$.calendars[0].primary")
        .isEqualTo(true)
        .jsonPath("$.calendars[0].selected")
        .isEqualTo(true)
        .jsonPath("$.calendars[0].access_role")
        .isEqualTo("owner");
    get("/api/calendar/calendars", "someone-else")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.calendars.length()")
        .isEqualTo(0);
  }

  @Test
  void patchValidatesSelected() {
    for (String body :
        List.of("{}", "{\"selected\":\"no\"}", "{\"selected\":null}", "{\"selected\":1}")) {
      patch("/api/calendar/calendars/" + calendarId + "/", user, body)
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith("application/problem+json")
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter")
          .jsonPath("$.parameter")
          .isEqualTo("selected")
          .jsonPath("$.type")
          .isEqualTo("https://calsync.io/problems/invalid_parameter")
          .jsonPath("$.status")
          .isEqualTo(400);
    }
    patch("/api/calendar/calendars/" + calendarId + "/", user, "not json")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_body");
    patch("/api/calendar/calendars/not-a-uuid/", user, "{\"selected\":false}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("id");
  }

  @Test
  void anotherUsersCalendarIsNotFound() {
    patch("/api/calendar/calendars/" + calendarId + "/", "someone-else", "{\"selected\":false}")
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    patch("/api/calendar/calendars/" + UUID.randomUUID() + "/", user, "{\"selected\":false}")
        .expectStatus()
        .isNotFound();
    patch("/api/calendar/calendars/" + calendarId + "/", "someone-else", "{\"color\":\"#0b8043\"}")
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void patchValidatesColor() {
    for (String body :
        List.of(
            "{\"color\":\"red\"}",
            "{\"color\":\"#12345\"}",
            "{\"color\":\"#1234567\"}",
            "{\"color\":\"#gggggg\"}",
            "{\"color\":\"0b8043\"}",
            "{\"color\":null}",
            "{\"color\":123}",
            "{\"color\":\"rgb(0,0,0)\",\"selected\":true}")) {
      patch("/api/calendar/calendars/" + calendarId + "/", user, body)
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith("application/problem+json")
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter")
          .jsonPath("$.parameter")
          .isEqualTo("color");
    }
    patch(
            "/api/calendar/calendars/" + calendarId + "/",
            user,
            "{\"color\":\"#0b8043\",\"selected\":\"yes\"}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("selected");
  }

  @Test
  void aColourIsStoredAnnouncedKeepsTheSelectionAndOutlivesGooglesNextListing() {
    try (var changes = new EventChanges(conn)) {
      int before = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1).size();

      String patched =
          patch("/api/calendar/calendars/" + calendarId + "/", user, "{\"color\":\"#0B8043\"}")
              .expectStatus()
              .isOk()
              .expectBody(String.class)
              .returnResult()
              .getResponseBody();
      ContractAssertions.assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 200, patched);
      assertThat(patched).contains("\"color\":\"#0b8043\"").contains("\"selected\":true");
      List<Received> all = changes.awaitUntil(l -> l.size() > before);
      assertThat(all.get(before).message())
          .isInstanceOfSatisfying(
              CalendarUpserted.class,
              c -> {
                assertThat(c.calendarId()).isEqualTo(calendarId);
                assertThat(c.color()).isEqualTo("#0b8043");
                assertThat(c.selected()).isTrue();
              });
      get("/api/calendar/calendars/", user)
          .exchange()
          .expectBody()
          .jsonPath("$.calendars[0].color")
          .isEqualTo("#0b8043")
          .jsonPath("$.calendars[0].selected")
          .isEqualTo(true);
    }
    // the next calendar-list sync rewrites Google's colour, not the user's
    int lists = google.requests("calendarList.list");
    post("/api/calendar/sync/", user, "{\"connection_id\":\"" + conn + "\"}")
        .expectStatus()
        .isAccepted();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> google.requests("calendarList.list") > lists);
    app.awaitIdle(conn);
    get("/api/calendar/calendars/", user)
        .exchange()
        .expectBody()
        .jsonPath("$.calendars[0].color")
        .isEqualTo("#0b8043");
  }

  @Test
  void deselectAnnouncesItAndSelectRunsAFullSync() {
    try (var changes = new EventChanges(conn)) {
      int before = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1).size();

      patch("/api/calendar/calendars/" + calendarId + "/", user, "{\"selected\":false}")
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.id")
          .isEqualTo(calendarId.toString())
          .jsonPath("$.selected")
          .isEqualTo(false);
      List<Received> all = changes.awaitUntil(l -> l.size() > before);
      var deselected = (CalendarUpserted) all.get(before).message();
      assertThat(deselected.calendarId()).isEqualTo(calendarId);
      assertThat(deselected.selected()).isFalse();
      get("/api/calendar/calendars/", user)
          .exchange()
          .expectBody()
          .jsonPath("$.calendars[0].selected")
          .isEqualTo(false);

      patch("/api/calendar/calendars/" + calendarId, user, "{\"selected\":true}")
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.selected")
          .isEqualTo(true);
      all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 2);
      assertThat(all.get(before + 1).message())
          .isInstanceOfSatisfying(CalendarUpserted.class, c -> assertThat(c.selected()).isTrue());
      assertThat(
              all.stream()
                  .filter(r -> r.message() instanceof SnapshotStarted)
                  .map(r -> ((SnapshotStarted) r.message()).generation())
                  .toList())
          .containsExactly(1L, 2L);
    }
  }

  @Test
  void whenKafkaDoesNotAcknowledgeADeselectThen503AndTheNextRunAnnouncesIt() {
    try (var changes = new EventChanges(conn)) {
      int before = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1).size();
      io.calsync.sync.support.TestKafkaConfig.failWhen =
          r -> r.value().contains("calendar.upserted") && r.value().contains(calendarId.toString());
      try {
        patch("/api/calendar/calendars/" + calendarId + "/", user, "{\"selected\":false}")
            .expectStatus()
            .isEqualTo(503)
            .expectHeader()
            .contentTypeCompatibleWith("application/problem+json")
            .expectBody()
            .jsonPath("$.code")
            .isEqualTo("upstream_unavailable");
      } finally {
        io.calsync.sync.support.TestKafkaConfig.failWhen = r -> false;
      }
      post("/api/calendar/sync/", user, "{}").expectStatus().isAccepted();
      List<Received> all =
          changes.awaitUntil(
              l ->
                  l.stream()
                      .skip(before)
                      .anyMatch(r -> r.message() instanceof CalendarUpserted c && !c.selected()));
      assertThat(all.stream().skip(before).filter(r -> r.message() instanceof SnapshotStarted))
          .isEmpty();
      app.awaitIdle(conn);
    }
  }

  @Test
  void syncRequestsAreAcceptedValidatedAndScopedToTheCaller() {
    post("/api/calendar/sync/", user, "{}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.requested.length()")
        .isEqualTo(1)
        .jsonPath("$.requested[0].connection_id")
        .isEqualTo(conn.toString())
        .jsonPath("$.requested[0].state")
        .isEqualTo("queued");
    // past the manual-sync window (whether the first one still waits or already ran, this one is
    // accepted)
    clock.advance(Duration.ofSeconds(31));
    post("/api/calendar/sync", user, "{\"connection_id\":\"" + conn + "\"}")
        .expectStatus()
        .isAccepted();
    post("/api/calendar/sync/", "someone-else", "{\"connection_id\":\"" + conn + "\"}")
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    post("/api/calendar/sync/", user, "{\"connection_id\":\"" + UUID.randomUUID() + "\"}")
        .expectStatus()
        .isNotFound();
    post("/api/calendar/sync/", user, "{\"connection_id\":\"nope\"}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("connection_id");
    post("/api/calendar/sync/", user, "[1]").expectStatus().isBadRequest();
    app.awaitIdle(conn);
    // sync-service authenticated to oauth-service with a client-credentials token of its own
    assertThat(oauth.serviceTokens())
        .isNotEmpty()
        .allSatisfy(
            jwt -> assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("sync-service"));
  }

  @Test
  void statusShowsTheConnectionAndItsCalendars() {
    get("/api/calendar/sync/status/", user)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections.length()")
        .isEqualTo(1)
        .jsonPath("$.connections[0].connection_id")
        .isEqualTo(conn.toString())
        .jsonPath("$.connections[0].state")
        .isEqualTo("idle")
        .jsonPath("$.connections[0].last_attempt_at")
        .isNotEmpty()
        .jsonPath("$.connections[0].last_success_at")
        .isNotEmpty()
        .jsonPath("$.connections[0].next_sync_at")
        .isNotEmpty()
        .jsonPath("$.connections[0].last_error")
        .isEmpty()
        .jsonPath("$.connections[0].calendars[0].calendar_id")
        .isEqualTo(calendarId.toString())
        .jsonPath("$.connections[0].calendars[0].state")
        .isEqualTo("idle")
        .jsonPath("$.connections[0].calendars[0].event_count")
        .isNumber()
        .jsonPath("$.connections[0].calendars[0].last_success_at")
        .isNotEmpty();
    get("/api/calendar/sync/status", "someone-else")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections.length()")
        .isEqualTo(0);
  }

  @Test
  void aGrantGoneAtOauthServiceTurnsTheConnectionToReauthRequired() throws Exception {
    // oauth-service answers 409 reauth_required for this connection from the start
    String otherEmail = uniqueEmail("gone-grant");
    google.account(otherEmail);
    UUID gone = UUID.randomUUID();
    oauth.register(gone, otherEmail);
    oauth.markReauthRequired(gone);
    app.send(
        new io.calsync.contract.kafka.ConnectionConnected(
            gone, user, now(), "google", otherEmail, List.of()));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "reauth_required".equals(app.connectionState(gone)));
    get("/api/calendar/sync/status/", user)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections[?(@.connection_id == '" + gone + "')].state")
        .isEqualTo("reauth_required")
        .jsonPath("$.connections[?(@.connection_id == '" + gone + "')].last_error.code")
        .isEqualTo("reauth_required");
    post("/api/calendar/sync/", user, "{\"connection_id\":\"" + gone + "\"}")
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentTypeCompatibleWith("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("reauth_required");
  }
}
