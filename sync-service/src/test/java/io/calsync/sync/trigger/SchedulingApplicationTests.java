package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Scheduling does not stall (the tests run with {@code worker-concurrency} 4): delayed push
 * wake-ups hold no worker slot; connections with endless follow-up runs give their slots up after
 * {@code max-consecutive-runs}; a connection paused after Google's {@code quotaExceeded} answers
 * "sync now" with a 429 for the rest of the pause, and no other trigger runs it before the pause
 * ended; a push syncs only the notified calendar.
 */
@SyncServiceTest
class SchedulingApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired MutableClock clock;
  @Autowired SyncCoordinator coordinator;
  @Autowired BackstopScheduler backstop;
  @Autowired SyncStateRepository states;

  @AfterEach
  void cleanUp() {
    google.clearFaults();
  }

  private WebTestClient.ResponseSpec syncNow(String user, UUID conn) {
    return web.mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build()
        .post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange();
  }

  private UUID connected(String user) throws Exception {
    return app.connect(user, uniqueEmail("sched"));
  }

  private void awaitSynced(UUID conn) {
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
  }

  private Optional<OffsetDateTime> lastSuccess(UUID conn) {
    return db.sql("select last_success_at from connection_sync_state where connection_id = :id")
        .bind("id", conn)
        .map(r -> Optional.ofNullable(r.get("last_success_at", OffsetDateTime.class)))
        .one()
        .block();
  }

  private boolean syncedSince(UUID conn, OffsetDateTime since) {
    return lastSuccess(conn).filter(t -> t.isAfter(since)).isPresent();
  }

  /** A connection known here (as from Kafka) whose runs would fail fast: nobody syncs it. */
  private UUID knownConnection() {
    UUID id = UUID.randomUUID();
    db.sql(
            """
            insert into connections (id, user_id, account_email, status, created_at, updated_at)
            values (:id, 'sched-other', 'nobody@example.com', 'active', now(), now())
            """)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .block();
    db.sql("insert into connection_sync_state (connection_id) values (:id)")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .block();
    return id;
  }

  private void markPending(UUID conn) {
    db.sql("update connection_sync_state set pending = true where connection_id = :id")
        .bind("id", conn)
        .fetch()
        .rowsUpdated()
        .block();
  }

  private long activeChannels(UUID conn) {
    return db.sql("select count(*) as n from watch_channels where connection_id = :id and active")
        .bind("id", conn)
        .map(r -> r.get("n", Long.class))
        .one()
        .block();
  }

  @Test
  void aPushSyncsOnlyTheNotifiedCalendar() throws Exception {
    String email = uniqueEmail("sched-push");
    google.account(email);
    var api = google.calendarAs(email);
    String second =
        api.calendars()
            .insert(new com.google.api.services.calendar.model.Calendar().setSummary("Second"))
            .execute()
            .getId();
    UUID conn = app.connect("sched-push", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 2);
      app.awaitIdle(conn);
      await().atMost(Duration.ofSeconds(20)).until(() -> activeChannels(conn) == 2);
      int calendarLists = google.requests("calendarList.list");
      int eventLists = google.requests("events.list");

      String id = insertEvent(api, second, "pushed to the second calendar");
      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
      app.awaitIdle(conn);
      // the notified calendar's incremental sync, nothing else
      assertThat(google.requests("calendarList.list")).isEqualTo(calendarLists);
      assertThat(google.requests("events.list")).isEqualTo(eventLists + 1);
    }
  }

  @Test
  void delayedPushWakeUpsHoldNoWorkerSlot() throws Exception {
    UUID conn = connected("sched-debounce");
    awaitSynced(conn);
    // five debounced pushes (a long debounce) for other connections: more than the worker's slots
    List<UUID> others = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      others.add(knownConnection());
      coordinator
          .requestCalendarAfter(others.get(i), UUID.randomUUID(), Duration.ofMinutes(10))
          .block();
    }
    OffsetDateTime before = lastSuccess(conn).orElseThrow();

    syncNow("sched-debounce", conn).expectStatus().isAccepted();
    await().atMost(Duration.ofSeconds(60)).until(() -> syncedSince(conn, before));
    // when their timers fire, these connections are gone: nothing to run
    others.forEach(this::forget);
  }

  private void forget(UUID conn) {
    db.sql("delete from connections where id = :id").bind("id", conn).fetch().rowsUpdated().block();
  }

  @Test
  void connectionsWithEndlessFollowUpRunsLetAnotherConnectionRun() throws Exception {
    List<UUID> busy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      busy.add(connected("sched-busy"));
    }
    UUID other = connected("sched-other");
    busy.forEach(this::awaitSynced);
    awaitSynced(other);
    OffsetDateTime before = lastSuccess(other).orElseThrow();

    // every run takes a while (5 s), and a trigger arrives during each: each connection is always
    // owed one more run
    google.slowFault("calendarList.list", 0, "latency", 100_000, 5000);
    for (UUID b : busy) {
      coordinator.request(b, SyncTrigger.BACKSTOP).block();
    }
    syncNow("sched-other", other).expectStatus().isAccepted();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              busy.forEach(this::markPending);
              return syncedSince(other, before);
            });
    // leave nothing running for the next test: the flags set above woke no worker (a real trigger
    // does), so a last trigger each, then they settle
    google.clearFaults();
    busy.forEach(b -> coordinator.request(b, SyncTrigger.BACKSTOP).block());
    busy.forEach(app::awaitIdle);
  }

  @Test
  void aConnectionPausedForGooglesQuotaAnswers429AndIsNotRunBeforeThePauseEnded() throws Exception {
    String email = uniqueEmail("sched-quota");
    google.account(email);
    google.fault("calendarList.list", 403, "quotaExceeded", 1);
    UUID conn = app.connect("sched-quota", email);
    await().atMost(Duration.ofSeconds(60)).until(() -> "error".equals(app.connectionState(conn)));

    String problem =
        syncNow("sched-quota", conn)
            .expectStatus()
            .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
            .expectHeader()
            .value(
                HttpHeaders.RETRY_AFTER, v -> assertThat(Long.parseLong(v)).isBetween(3000L, 3600L))
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(problem).contains("\"code\":\"rate_limited\"");
    ContractAssertions.assertMatchesOpenApi(
        "POST", ApiPaths.SYNC, 429, "application/problem+json", problem);

    // a push or the backstop: owed, but not run before the pause ended
    int lists = google.requests("calendarList.list");
    coordinator.request(conn, SyncTrigger.BACKSTOP).block();
    assertThat(states.dueConnections(clock.instant()).collectList().block()).doesNotContain(conn);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .until(() -> google.requests("calendarList.list") == lists);

    clock.advance(Duration.ofMinutes(61));
    assertThat(backstop.enqueueDue().block()).isPositive();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> lastSuccess(conn).isPresent() && "idle".equals(app.connectionState(conn)));
    clock.advance(Duration.ofMinutes(1));
    syncNow("sched-quota", conn).expectStatus().isAccepted();
    app.awaitIdle(conn);
  }
}
