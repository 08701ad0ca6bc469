package io.calsync.sync.engine;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.EventChanges.Received;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestKafkaConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sync pipeline (module README, decision "Paging one page ahead"): the next page is read from
 * Google while the current one is published, never more than one page ahead, and a failure of the
 * page read ahead stores nothing. Kafka's acknowledgements are held back ({@link
 * TestKafkaConfig#holdAckWhen}) as a slow broker would; the emulator counts the page requests.
 */
@SyncServiceTest
class PagingAheadApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;

  @AfterEach
  void cleanUp() {
    google.clearFaults();
    TestKafkaConfig.holdAckWhen = r -> false;
    TestKafkaConfig.releaseHeld();
  }

  private static boolean eventOf(UUID conn, ProducerRecord<String, String> r) {
    return conn.toString().equals(r.key()) && r.value().contains("\"" + EventUpserted.TYPE + "\"");
  }

  @Test
  void whilePageOneIsUnacknowledgedThePageAfterItIsReadAndNoMore() throws Exception {
    String email = uniqueEmail("ahead");
    google.account(email);
    google.seed(email, "primary", 130, 20); // > 2 pages of 50 (the tests' page size)
    UUID conn = UUID.randomUUID();
    TestKafkaConfig.holdAckWhen = r -> eventOf(conn, r);
    int listsBefore = google.requests("events.list");

    app.connect("user-ahead", email, conn);
    try (var changes = new EventChanges(conn)) {
      // page 1's messages wait for their acknowledgement: page 2 is read meanwhile ...
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> google.requests("events.list") - listsBefore >= 2);
      // ... and page 3 is not: one page ahead, no more
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> google.requests("events.list") - listsBefore == 2);
      UUID calendarId = app.primaryCalendar(conn);
      assertThat(app.syncToken(calendarId)).isNull();

      releaseAcks();
      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      assertThat(app.syncToken(calendarId)).isNotBlank();
      SnapshotCompleted completed = completed(all);
      assertThat(count(all, EventUpserted.TYPE)).isEqualTo(completed.eventCount());
      assertThat(google.requests("events.list") - listsBefore).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void aFailureOfThePageReadAheadStoresNothingAndTheRetrySucceeds() throws Exception {
    String email = uniqueEmail("ahead-fails");
    google.account(email);
    google.seed(email, "primary", 130, 20);
    UUID conn = UUID.randomUUID();
    TestKafkaConfig.holdAckWhen = r -> eventOf(conn, r);
    // the first events.list passes, the second (page 2, read ahead) fails for good
    google.fault("events.list", 0, "none", 1);
    google.fault("events.list", 400, "invalid", 1);

    app.connect("user-ahead-fails", email, conn);
    try (var changes = new EventChanges(conn)) {
      // page 1's acknowledgements are still held when page 2's failure ends the run
      await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(app.connectionState(conn)));
      UUID calendarId = app.primaryCalendar(conn);
      assertThat(app.syncToken(calendarId)).isNull();
      assertThat(count(changes.all(), SnapshotCompleted.TYPE)).isZero();

      releaseAcks();
      web.post()
          .uri("/api/calendar/sync/")
          .header(HttpHeaders.AUTHORIZATION, bearer("user-ahead-fails"))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"connection_id\":\"" + conn + "\"}")
          .exchange()
          .expectStatus()
          .isAccepted();
      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      assertThat(app.syncToken(calendarId)).isNotBlank();
      SnapshotCompleted completed = completed(all);
      // the retry is a new generation: the failed attempt's messages belong to the older one
      assertThat(completed.generation()).isEqualTo(2L);
      assertThat(count(all, SnapshotStarted.TYPE)).isEqualTo(2L);
    }
  }

  /** Lets Kafka acknowledge again, the held sends first. */
  private static void releaseAcks() {
    TestKafkaConfig.holdAckWhen = r -> false;
    TestKafkaConfig.releaseHeld();
  }

  /** The run's {@code snapshot_completed} among the messages received. */
  private static SnapshotCompleted completed(List<Received> all) {
    return (SnapshotCompleted)
        all.stream()
            .map(Received::message)
            .filter(SnapshotCompleted.class::isInstance)
            .findFirst()
            .orElseThrow();
  }
}
