package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.Topics;
import io.calsync.sync.support.DeadLetters;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestInfra;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code calendar.connections.v1} as oauth-service publishes it, consumed by the real listener. */
@SyncServiceTest
class ConnectionListenerKafkaTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired MeterRegistry meters;

  private Long connections(UUID id) {
    return db.sql("select count(*) as n from connections where id = :id")
        .bind("id", id)
        .map(r -> r.get("n", Long.class))
        .one()
        .block();
  }

  @Test
  void disconnectedAnnouncesCalendarRemovedAndForgetsTheConnection() throws Exception {
    String email = uniqueEmail("bye");
    UUID conn = app.connect("user-bye", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      UUID calendarId = app.primaryCalendar(conn);

      app.send(new ConnectionDisconnected(conn, "user-bye", now()));
      var all = changes.awaitUntil(l -> count(l, CalendarRemoved.TYPE) == 1);
      assertThat(all.get(all.size() - 1).message())
          .isEqualTo(
              new CalendarRemoved(
                  conn,
                  "user-bye",
                  ((CalendarRemoved) all.get(all.size() - 1).message()).occurredAt(),
                  calendarId));
      await().atMost(Duration.ofSeconds(20)).until(() -> connections(conn) == 0L);
      web.get()
          .uri("/api/calendar/calendars/")
          .header(HttpHeaders.AUTHORIZATION, bearer("user-bye"))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.calendars.length()")
          .isEqualTo(0);

      // redelivery is harmless
      app.send(new ConnectionDisconnected(conn, "user-bye", now()));
      assertThat(connections(conn)).isZero();
    }
  }

  @Test
  void reauthRequiredMarksTheConnection() throws Exception {
    String email = uniqueEmail("reauth");
    UUID conn = app.connect("user-reauth", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    app.send(new ConnectionReauthRequired(conn, "user-reauth", now(), "invalid_grant"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "reauth_required".equals(app.connectionState(conn)));
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer("user-reauth"))
        .bodyValue(Map.of())
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.requested.length()")
        .isEqualTo(0);
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer("user-reauth"))
        .bodyValue(Map.of("connection_id", conn.toString()))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("reauth_required");
    web.get()
        .uri("/api/calendar/sync/status/")
        .header(HttpHeaders.AUTHORIZATION, bearer("user-reauth"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections[0].state")
        .isEqualTo("reauth_required");
  }

  @Test
  void whenTheDatabaseIsAwayLongerThanTheOldRetryWindowThenConnectedWaitsAndIsNotDeadLettered()
      throws Exception {
    double failuresBefore = infrastructureFailures();
    UUID conn;
    TestInfra.DATABASE.cut();
    try {
      conn = app.connect("user-outage", uniqueEmail("outage"));
      try (var dead = new DeadLetters(Topics.CONNECTIONS, conn.toString())) {
        // far longer than the old retry window (3 deliveries 50 ms apart in tests)
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> dead.values().isEmpty());
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> infrastructureFailures() >= failuresBefore + 3);
    } finally {
      TestInfra.DATABASE.restore();
    }

    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    assertThat(connections(conn)).isOne();
    try (var dead = new DeadLetters(Topics.CONNECTIONS, conn.toString())) {
      assertThat(dead.values()).isEmpty();
    }
  }

  private double infrastructureFailures() {
    Counter counter =
        meters
            .find("calsync.kafka.listener.failures")
            .tags("topic", Topics.CONNECTIONS, "kind", "infrastructure")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void unknownTypesAreSkippedAndPoisonGoesToTheDeadLetterTopic() throws Exception {
    String poisonKey = UUID.randomUUID().toString();
    app.sendRaw(
        poisonKey, "{\"type\":\"connection.renamed\",\"connection_id\":\"" + poisonKey + "\"}");
    app.sendRaw(poisonKey, "this is not json");

    try (var dead = new DeadLetters(Topics.CONNECTIONS, poisonKey)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> !dead.values().isEmpty());
      assertThat(dead.values()).containsExactly("this is not json");
    }
    // the listener is still alive: a following connection syncs
    UUID conn = app.connect("user-after-poison", uniqueEmail("after"));
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
  }
}
