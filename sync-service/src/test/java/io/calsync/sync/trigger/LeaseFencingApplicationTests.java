package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestKafkaConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sync lease fences (sync rule 2): another instance taking the lease in the middle of a run
 * stops it before its next publish, whatever the message; a lost lease starts no further run; a
 * heartbeat keeps the lease through a Google call longer than its TTL (6 s in the tests); expiry is
 * judged by the database's clock, not by the instance's.
 */
@SyncServiceTest
class LeaseFencingApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired MutableClock clock;
  @Autowired MeterRegistry meters;
  @Autowired SyncStateRepository states;
  @Autowired SyncCoordinator coordinator;

  /** Connections of a test, forgotten afterwards: a lease held "elsewhere" leaves them owed. */
  private final List<UUID> made = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    TestKafkaConfig.onSend = r -> {};
    google.clearFaults();
    for (UUID conn : made) {
      db.sql("delete from connections where id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
      db.sql("delete from sync_leases where connection_id = :id")
          .bind("id", conn)
          .fetch()
          .rowsUpdated()
          .block();
    }
  }

  /** What a second instance does once the lease is free to it; here it simply takes it. */
  private void takeLeaseElsewhere(UUID conn) {
    made.add(conn);
    db.sql(
            """
            insert into sync_leases (connection_id, owner, expires_at)
            values (:id, 'another-instance', clock_timestamp() + interval '5 minutes')
            on conflict (connection_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
            """)
        .bind("id", conn)
        .fetch()
        .rowsUpdated()
        .block();
  }

  /** What a second instance does: takes the lease only when it expired (database clock). */
  private boolean tryTakeLeaseElsewhere(UUID conn) {
    return db.sql(
            """
            insert into sync_leases (connection_id, owner, expires_at)
            values (:id, 'another-instance', clock_timestamp() + interval '5 minutes')
            on conflict (connection_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
            where sync_leases.expires_at <= clock_timestamp()
            returning owner
            """)
        .bind("id", conn)
        .map(r -> 1)
        .first()
        .hasElement()
        .block();
  }

  private String leaseOwner(UUID conn) {
    return db.sql("select owner from sync_leases where connection_id = :id")
        .bind("id", conn)
        .map(r -> r.get("owner", String.class))
        .one()
        .block();
  }

  private double leasesLost() {
    return meters.find("calsync.sync.runs").tag("outcome", "lease_lost").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static boolean isOf(
      UUID conn, String type, org.apache.kafka.clients.producer.ProducerRecord<String, String> r) {
    return conn.toString().equals(r.key()) && r.value().contains("\"" + type + "\"");
  }

  @Test
  void whenTheLeaseIsTakenDuringTheLastPageThenNoSnapshotCompletedIsPublished() throws Exception {
    String email = uniqueEmail("fence-page");
    google.account(email);
    google.seed(email, "primary", 10, 5);
    UUID conn = UUID.randomUUID();
    AtomicBoolean taken = new AtomicBoolean();
    AtomicInteger upserts = new AtomicInteger();
    TestKafkaConfig.onSend =
        r -> {
          if (isOf(conn, EventUpserted.TYPE, r)) {
            upserts.incrementAndGet();
            if (taken.compareAndSet(false, true)) {
              takeLeaseElsewhere(conn);
            }
          }
        };
    double lostBefore = leasesLost();

    app.connect("user-fence-page", email, conn);
    try (var changes = new EventChanges(conn)) {
      var all =
          changes.awaitUntil(
              l -> leasesLost() > lostBefore || count(l, SnapshotCompleted.TYPE) > 0);
      all = changes.awaitUntil(l -> count(l, EventUpserted.TYPE) == upserts.get());
      assertThat(count(changes.all(), SnapshotCompleted.TYPE)).isZero();
      assertThat(count(all, SnapshotStarted.TYPE)).isEqualTo(1);
      assertThat(leaseOwner(conn)).isEqualTo("another-instance");
    }
  }

  @Test
  void whenTheLeaseIsTakenAfterTheFirstCalendarThenNoOtherCalendarIsAnnounced() throws Exception {
    String email = uniqueEmail("fence-cal");
    google.account(email);
    google
        .calendarAs(email)
        .calendars()
        .insert(new com.google.api.services.calendar.model.Calendar().setSummary("Second"))
        .execute();
    UUID conn = UUID.randomUUID();
    AtomicBoolean taken = new AtomicBoolean();
    TestKafkaConfig.onSend =
        r -> {
          if (isOf(conn, CalendarUpserted.TYPE, r) && taken.compareAndSet(false, true)) {
            takeLeaseElsewhere(conn);
          }
        };
    double lostBefore = leasesLost();

    app.connect("user-fence-cal", email, conn);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> leasesLost() > lostBefore || count(l, CalendarUpserted.TYPE) > 1);
      var all = changes.awaitUntil(l -> count(l, CalendarUpserted.TYPE) >= 1);
      assertThat(count(changes.all(), CalendarUpserted.TYPE)).isEqualTo(1);
      assertThat(count(all, SnapshotStarted.TYPE)).isZero();
    }
  }

  @Test
  void whenTheLeaseIsLostBetweenRunsThenTheFollowUpRunDoesNotStart() throws Exception {
    String email = uniqueEmail("fence-next");
    google.account(email);
    UUID conn = UUID.randomUUID();
    AtomicBoolean taken = new AtomicBoolean();
    TestKafkaConfig.onSend =
        r -> {
          if (isOf(conn, SnapshotCompleted.TYPE, r) && taken.compareAndSet(false, true)) {
            // a trigger during the run (a follow-up run is owed), and the lease goes elsewhere
            db.sql("update connection_sync_state set pending = true where connection_id = :id")
                .bind("id", conn)
                .fetch()
                .rowsUpdated()
                .block();
            takeLeaseElsewhere(conn);
          }
        };
    double lostBefore = leasesLost();
    int listsBefore = google.requests("calendarList.list");

    app.connect("user-fence-next", email, conn);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                leasesLost() > lostBefore
                    || google.requests("calendarList.list") > listsBefore + 1);
    assertThat(google.requests("calendarList.list")).isEqualTo(listsBefore + 1);
    assertThat(leaseOwner(conn)).isEqualTo("another-instance");
  }

  @Test
  void aGoogleCallLongerThanTheLeaseTtlKeepsTheLeaseAlive() throws Exception {
    String email = uniqueEmail("fence-slow");
    google.account(email);
    UUID conn = app.connect("user-fence-slow", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);

    // the next events.list takes 9 s, longer than the lease's 6 s TTL
    google.slowFault("events.list", 0, "latency", 1, 9000);
    web.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build()
        .post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer("user-fence-slow"))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange()
        .expectStatus()
        .isAccepted();
    await().atMost(Duration.ofSeconds(10)).until(() -> "syncing".equals(app.connectionState(conn)));

    // a second instance keeps trying to take the lease until the run is over; had it taken the
    // lease during the run, the run would have stopped there (lease lost) and not ended idle
    double lostBefore = leasesLost();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              tryTakeLeaseElsewhere(conn);
              return leasesLost() > lostBefore || "idle".equals(app.connectionState(conn));
            });
    assertThat(leasesLost()).isEqualTo(lostBefore);
    assertThat(app.connectionState(conn)).isEqualTo("idle");
  }

  @Test
  void leaseExpiryIsJudgedByTheDatabaseClockNotTheInstances() throws Exception {
    String email = uniqueEmail("fence-clock");
    google.account(email);
    UUID conn = app.connect("user-fence-clock", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    takeLeaseElsewhere(conn); // live for 5 more minutes by the database's clock
    db.sql(
            "update connection_sync_state set next_sync_at = now() - interval '1 minute' where connection_id = :id")
        .bind("id", conn)
        .fetch()
        .rowsUpdated()
        .block();

    // this instance's clock runs an hour ahead
    clock.advance(Duration.ofHours(1));
    assertThat(states.dueConnections(clock.instant()).collectList().block()).doesNotContain(conn);
    coordinator.request(conn, SyncTrigger.BACKSTOP).block();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> "another-instance".equals(leaseOwner(conn)));
    assertThat(app.connectionState(conn)).isEqualTo("queued");
  }
}
