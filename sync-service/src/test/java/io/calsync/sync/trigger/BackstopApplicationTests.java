package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestKafkaConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * The periodic backstop enqueues connections whose next sync is due, and only those; a failed run
 * is due again after {@code failure-retry}, not a whole backstop interval later.
 */
@SyncServiceTest
class BackstopApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired DatabaseClient db;

  @Autowired BackstopScheduler backstop;
  @Autowired MutableClock clock;
  @Autowired SyncStateRepository states;

  @AfterEach
  void kafkaAcknowledgesAgain() {
    TestKafkaConfig.failWhen = r -> false;
  }

  private OffsetDateTime nextSyncAt(UUID conn) {
    return db.sql("select next_sync_at from connection_sync_state where connection_id = :id")
        .bind("id", conn)
        .map(r -> r.get("next_sync_at", OffsetDateTime.class))
        .one()
        .block();
  }

  @Test
  void aDueConnectionIsSyncedByTheBackstop() throws Exception {
    String email = uniqueEmail("backstop");
    google.account(email);
    UUID conn = app.connect("user-backstop", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      // next sync one backstop interval (15 minutes) after the run
      assertThat(nextSyncAt(conn)).isAfter(OffsetDateTime.now().plusMinutes(14));
      // no push for this connection: only the backstop can find the change
      db.sql("update watch_channels set active = false where connection_id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      String id = insertEvent(google.calendarAs(email), email, "found by the backstop");

      db.sql(
              "update connection_sync_state set next_sync_at = now() - interval '1 minute' where connection_id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      StepVerifier.create(backstop.enqueueDue())
          .assertNext(n -> assertThat(n).isGreaterThanOrEqualTo(1))
          .verifyComplete();

      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
      app.awaitIdle(conn);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nextSyncAt(conn).isAfter(OffsetDateTime.now().plusMinutes(14)));
    }
  }

  @Test
  void aRunKafkaDidNotAcknowledgeIsRunAgainByTheBackstopWithoutAnotherTrigger() throws Exception {
    String email = uniqueEmail("unacked");
    google.account(email);
    String marker = "unacknowledged-" + UUID.randomUUID();
    String id = insertEvent(google.calendarAs(email), email, marker);
    // the broker is away for this event's message: the run fails and its sync token stays
    TestKafkaConfig.failWhen = r -> r.value().contains(marker);
    UUID conn = app.connect("user-unacked", email);
    try (var changes = new EventChanges(conn)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "error".equals(app.connectionState(conn)));

      // the broker is back; nobody changes anything at Google or asks for a sync
      TestKafkaConfig.failWhen = r -> false;
      clock.advance(Duration.ofMinutes(1).plusSeconds(1));
      // the backstop ticks, as it does every 15 s in production: a tick that meets the failed
      // run's last steps (its lease not yet released) leaves the connection to the next one
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                backstop.enqueueDue().block(Duration.ofSeconds(10));
                return changes.all().stream()
                    .anyMatch(
                        r -> r.message() instanceof EventUpserted u && u.event().id().equals(id));
              });
      app.awaitIdle(conn);
      assertThat(app.connectionState(conn)).isEqualTo("idle");
    }
  }

  @Test
  void aRunCutShortByItsInstancesDeathIsOwedAgainOnceItsLeaseExpired() throws Exception {
    String email = uniqueEmail("backstop-crash");
    google.account(email);
    UUID conn = app.connect("user-backstop-crash", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      db.sql("update watch_channels set active = false where connection_id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      String id = insertEvent(google.calendarAs(email), email, "owed by a dead instance");
      // what an instance killed during a run leaves: the run claimed (pending cleared, state
      // syncing), not due for 15 minutes, and the dead owner's lease
      db.sql(
              """
              update connection_sync_state set state = 'syncing', pending = false,
                next_sync_at = now() + interval '14 minutes' where connection_id = :id
              """)
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      db.sql(
              """
              insert into sync_leases (connection_id, owner, expires_at)
              values (:id, 'a-dead-instance', clock_timestamp() + interval '5 minutes')
              on conflict (connection_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
              """)
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();

      // while the dead owner's lease lives, the run is its holder's
      assertThat(states.dueConnections(Instant.now()).collectList().block()).doesNotContain(conn);

      db.sql("update sync_leases set expires_at = clock_timestamp() where connection_id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      assertThat(states.dueConnections(Instant.now()).collectList().block()).contains(conn);
      StepVerifier.create(backstop.enqueueDue())
          .assertNext(n -> assertThat(n).isGreaterThanOrEqualTo(1))
          .verifyComplete();

      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
      app.awaitIdle(conn);
    }
  }
}
