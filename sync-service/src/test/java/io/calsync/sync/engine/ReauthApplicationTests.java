package io.calsync.sync.engine;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.oauth;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A grant revoked at Google (the emulator's revoke-grants): Google's 401 makes sync-service ask
 * oauth-service (the stand-in, which refreshes at the emulator's token endpoint) for a forced
 * refresh, the refresh meets invalid_grant, and the connection becomes reauth_required here at
 * once.
 */
@SyncServiceTest
class ReauthApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;

  @AfterEach
  void clearFaults() {
    google.clearFaults();
  }

  @Test
  void aRevokedGrantTurnsTheConnectionToReauthRequiredAndFurtherSyncsAre409WithoutAskingAnyone()
      throws Exception {
    String user = "user-revoked";
    String email = uniqueEmail("revoked");
    google.account(email);
    google.seed(email, "primary", 3, 5);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
    }
    assertThat(oauth.refreshes(conn)).isZero();

    google.revokeGrants(email);
    sync(user, conn).expectStatus().isAccepted();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> "reauth_required".equals(app.connectionState(conn)));
    web.get()
        .uri("/api/calendar/sync/status/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections[0].state")
        .isEqualTo("reauth_required")
        .jsonPath("$.connections[0].last_error.code")
        .isEqualTo("reauth_required");

    int calendarLists = google.requests("calendarList.list");
    int eventLists = google.requests("events.list");
    int tokenRequests = google.requests("token");
    int oauthRequests = oauth.requests(conn);

    sync(user, conn)
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("reauth_required");
    // {} leaves the connection out: it needs the user, not a sync
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.requested.length()")
        .isEqualTo(0);

    assertThat(google.requests("calendarList.list")).isEqualTo(calendarLists);
    assertThat(google.requests("events.list")).isEqualTo(eventLists);
    assertThat(google.requests("token")).isEqualTo(tokenRequests);
    assertThat(oauth.requests(conn)).isEqualTo(oauthRequests);
    assertThat(oauth.refreshes(conn)).isZero(); // the one refresh met invalid_grant

    // the user connects the account again: oauth-service announces connection.connected
    oauth.register(conn, email);
    app.send(
        new ConnectionConnected(
            conn,
            user,
            now(),
            "google",
            email,
            List.of("openid", "email", "https://www.googleapis.com/auth/calendar.readonly")));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> google.requests("calendarList.list") > calendarLists);
    app.awaitIdle(conn);
    assertThat(app.connectionState(conn)).isEqualTo("idle");
  }

  @Test
  void aOneOff401IsHealedByAForcedRefreshAndTheRunSucceeds() throws Exception {
    String user = "user-one-401";
    String email = uniqueEmail("one-401");
    google.account(email);
    google.seed(email, "primary", 3, 5);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
    }

    google.fault("calendarList.list", 401, "authError", 1);
    sync(user, conn).expectStatus().isAccepted();

    await().atMost(Duration.ofSeconds(10)).until(() -> oauth.refreshes(conn) == 1);
    app.awaitIdle(conn);
    assertThat(app.connectionState(conn)).isEqualTo("idle");
    web.get()
        .uri("/api/calendar/sync/status/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections[0].state")
        .isEqualTo("idle")
        .jsonPath("$.connections[0].last_error")
        .isEmpty();
  }

  private WebTestClient.ResponseSpec sync(String user, UUID conn) {
    return web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange();
  }
}
