package io.calsync.sync.trigger;

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
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A reconnect whose {@code connection.connected} is consumed between oauth-service's 409 and the
 * run recording it keeps the connection active: the stale 409 does not overwrite it.
 */
@SyncServiceTest
class ReauthRaceApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired ConnectionLifecycle lifecycle;
  @Autowired SyncCoordinator coordinator;

  @AfterEach
  void clearFaults() {
    google.clearFaults();
  }

  private String status(UUID connectionId) {
    return db.sql("select status from connections where id = :id")
        .bind("id", connectionId)
        .map(r -> r.get("status", String.class))
        .one()
        .block();
  }

  @Test
  void aReconnectConsumedWhileTheRunMetTheGoneGrantKeepsTheConnectionActive() throws Exception {
    String user = "race-" + UUID.randomUUID();
    String email = uniqueEmail("race");
    google.account(email);
    google.seed(email, "primary", 3, 5);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);

    // the grant is gone at oauth-service; while it answers the run's forced refresh with 409, the
    // user reconnects and connection.connected is consumed here
    AtomicBoolean reconnected = new AtomicBoolean();
    oauth.markReauthRequired(conn);
    oauth.beforeNextReauthAnswer(
        conn,
        () -> {
          oauth.register(conn, user, email);
          return lifecycle
              .handle(
                  new ConnectionConnected(
                      conn,
                      user,
                      now(),
                      "google",
                      email,
                      List.of(
                          "openid", "email", "https://www.googleapis.com/auth/calendar.readonly")))
              .doOnSuccess(done -> reconnected.set(true));
        });
    google.fault("calendarList.list", 401, "authError", 1);
    coordinator.request(conn, SyncTrigger.BACKSTOP).block();

    await().atMost(Duration.ofSeconds(30)).untilTrue(reconnected);
    app.awaitIdle(conn);
    assertThat(status(conn)).isEqualTo("active");
    assertThat(app.connectionState(conn)).isEqualTo("idle");
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange()
        .expectStatus()
        .isAccepted();
  }
}
