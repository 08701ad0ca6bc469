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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A full sync that fails in the middle, then a deletion at Google, then the retry: every attempt is
 * a new generation, so the read model can drop what the failed attempt published and the deleted
 * event does not survive the retry's {@code snapshot_completed}.
 */
@SyncServiceTest
class FailedFullSyncApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;

  @AfterEach
  void cleanUp() {
    TestKafkaConfig.failWhen = r -> false;
  }

  @Test
  void whenAFullSyncFailsThenTheRetryIsANewGenerationWithoutTheDeletedEvent() throws Exception {
    String email = uniqueEmail("retrygen");
    google.account(email);
    google.seed(email, "primary", 60, 10);
    UUID conn = UUID.randomUUID();
    // every event page goes out, then Kafka does not acknowledge snapshot_completed
    TestKafkaConfig.failWhen =
        r ->
            conn.toString().equals(r.key())
                && r.value().contains("\"" + SnapshotCompleted.TYPE + "\"");
    app.connect("user-retrygen", email, conn);
    try (var changes = new EventChanges(conn)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "error".equals(app.connectionState(conn)));
      List<Received> failed =
          changes.awaitUntil(
              l -> count(l, SnapshotStarted.TYPE) == 1 && count(l, EventUpserted.TYPE) > 0);
      long failedGeneration = generationStarted(failed, 0);
      EventUpserted victim =
          failed.stream()
              .map(Received::message)
              .filter(m -> m instanceof EventUpserted)
              .map(EventUpserted.class::cast)
              .findFirst()
              .orElseThrow();
      google.calendarAs(email).events().delete(email, victim.event().id()).execute();

      TestKafkaConfig.failWhen = r -> false;
      web.mutate()
          .responseTimeout(Duration.ofSeconds(30))
          .build()
          .post()
          .uri("/api/calendar/sync/")
          .header(HttpHeaders.AUTHORIZATION, bearer("user-retrygen"))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"connection_id\":\"" + conn + "\"}")
          .exchange()
          .expectStatus()
          .isAccepted();
      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);

      long retryGeneration = generationStarted(all, 1);
      var completed =
          (SnapshotCompleted)
              all.stream()
                  .map(Received::message)
                  .filter(m -> m instanceof SnapshotCompleted)
                  .findFirst()
                  .orElseThrow();
      assertThat(retryGeneration).isGreaterThan(failedGeneration);
      assertThat(completed.generation()).isEqualTo(retryGeneration);
      // the deleted event is only in the failed attempt's (older) generation, which the read model
      // drops on this snapshot_completed
      assertThat(all)
          .map(Received::message)
          .filteredOn(
              m -> m instanceof EventUpserted u && u.event().id().equals(victim.event().id()))
          .allSatisfy(
              m -> assertThat(((EventUpserted) m).generation()).isLessThan(completed.generation()))
          .isNotEmpty();
      assertThat(app.syncToken(app.primaryCalendar(conn))).isNotBlank();
    }
  }

  private static long generationStarted(List<Received> all, int index) {
    return all.stream()
        .map(Received::message)
        .filter(m -> m instanceof SnapshotStarted)
        .map(SnapshotStarted.class::cast)
        .skip(index)
        .findFirst()
        .orElseThrow()
        .generation();
  }
}
