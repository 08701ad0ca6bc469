package io.calsync.sync.web;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.oauth;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Read-your-writes across services: a connection oauth-service has made but whose {@code
 * connection.connected} this service has not consumed yet is one the user can sync.
 */
@SyncServiceTest
class UnannouncedConnectionApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired DatabaseClient db;
  private WebTestClient web;

  @Autowired
  void web(WebTestClient client) {
    // the first look-up also fetches the service token: more than the default 5 s on a busy machine
    web = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void oauthUp() {
    oauth.connectionLookupsFail(false);
  }

  private WebTestClient.ResponseSpec sync(String user, UUID connectionId) {
    return web.post()
        .uri(ApiPaths.SYNC)
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + connectionId + "\"}")
        .exchange();
  }

  private Instant lastAttempt(UUID connectionId) {
    return db.sql("select last_attempt_at from connection_sync_state where connection_id = :id")
        .bind("id", connectionId)
        .map(r -> r.get("last_attempt_at", OffsetDateTime.class).toInstant())
        .one()
        .block();
  }

  private long connectionRows(UUID connectionId) {
    return db.sql("select count(*) as n from connections where id = :id")
        .bind("id", connectionId)
        .map(r -> r.get("n", Long.class))
        .one()
        .block();
  }

  @Test
  void whenTheConnectedMessageIsNotConsumedYetThenASyncRequestIsAcceptedAndRuns() throws Exception {
    String user = "ryw-" + UUID.randomUUID();
    String email = uniqueEmail("ryw");
    UUID conn = app.connectUnannounced(user, email);

    try (var changes = new EventChanges(conn)) {
      byte[] body =
          sync(user, conn)
              .expectStatus()
              .isAccepted()
              .expectBody()
              .jsonPath("$.requested[0].connection_id")
              .isEqualTo(conn.toString())
              .jsonPath("$.requested[0].state")
              .isEqualTo("queued")
              .returnResult()
              .getResponseBody();
      ContractAssertions.assertMatchesOpenApi("POST", ApiPaths.SYNC, 202, new String(body));
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    assertThat(app.connectionState(conn)).isEqualTo("idle");

    // the Kafka message arrives late: the same connection, no second row, it syncs again
    Instant before = lastAttempt(conn);
    app.send(
        new ConnectionConnected(
            conn,
            user,
            now(),
            "google",
            email,
            List.of("openid", "email", "https://www.googleapis.com/auth/calendar.readonly")));
    await().atMost(Duration.ofSeconds(60)).until(() -> lastAttempt(conn).isAfter(before));
    app.awaitIdle(conn);
    assertThat(connectionRows(conn)).isEqualTo(1);
    assertThat(app.connectionState(conn)).isEqualTo("idle");
  }

  @Test
  void anotherUsersUnannouncedConnectionIsNotFoundAndNotLearned() {
    UUID conn = app.connectUnannounced("owner-" + UUID.randomUUID(), uniqueEmail("ryw-other"));

    sync("someone-else-" + UUID.randomUUID(), conn)
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    assertThat(oauth.lookups(conn)).isEqualTo(1);
    assertThat(connectionRows(conn)).isZero();
  }

  @Test
  void whenOAuthServiceCannotBeAskedThen503NotA404() {
    String user = "ryw-down-" + UUID.randomUUID();
    UUID conn = app.connectUnannounced(user, uniqueEmail("ryw-down"));
    oauth.connectionLookupsFail(true);

    byte[] body =
        sync(user, conn)
            .expectStatus()
            .isEqualTo(503)
            .expectBody()
            .jsonPath("$.code")
            .isEqualTo("upstream_unavailable")
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("POST", ApiPaths.SYNC, 503, new String(body));
  }

  @Test
  void aDisconnectHandledHereIsNotUndoneByAnOlderAnswerOfOAuthService() throws Exception {
    String user = "ryw-gone-" + UUID.randomUUID();
    UUID conn = app.connectUnannounced(user, uniqueEmail("ryw-gone"));
    // oauth-service's answer (updated_at = when it was made) predates this disconnect
    app.send(new ConnectionDisconnected(conn, user, now().plusSeconds(1)));
    await()
        .until(
            () ->
                db.sql("select count(*) as n from connection_tombstones where connection_id = :id")
                        .bind("id", conn)
                        .map(r -> r.get("n", Long.class))
                        .one()
                        .block()
                    == 1);

    sync(user, conn).expectStatus().isNotFound();
    assertThat(connectionRows(conn)).isZero();
  }
}
