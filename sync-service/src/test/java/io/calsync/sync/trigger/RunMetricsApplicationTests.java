package io.calsync.sync.trigger;

import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sync.model.PendingRun;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The run metrics as operators read them: runs and their duration by trigger and outcome, Google
 * requests by operation and status, retries by reason, and quota pauses; and which trigger a run
 * that several triggers owe counts under.
 */
@SyncServiceTest
class RunMetricsApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired MeterRegistry meters;
  @Autowired SyncStateRepository states;
  @Autowired DatabaseClient db;

  @AfterEach
  void noFaults() {
    google.clearFaults();
  }

  @Test
  void aConnectAndASyncNowCountByTriggerAndOutcomeWithTheirGoogleRequests() throws Exception {
    String email = uniqueEmail("run-metrics");
    google.account(email);
    double connected = runs("connect", "success");
    long connectedTimed = durations("connect", "success");
    long lists = requests("calendarList.list", "200");
    double rateLimited = count("calsync.google.retries", "reason", "rate_limited");
    // the first page of the first full sync meets a 429 and is retried
    google.fault("events.list", 429, "rateLimitExceeded", 1);

    UUID conn = app.connect("user-run-metrics", email);
    app.awaitIdle(conn);

    assertThat(runs("connect", "success") - connected).isGreaterThanOrEqualTo(1);
    assertThat(durations("connect", "success") - connectedTimed).isGreaterThanOrEqualTo(1);
    assertThat(requests("calendarList.list", "200") - lists).isGreaterThanOrEqualTo(1);
    assertThat(requests("events.list", "429")).isGreaterThanOrEqualTo(1);
    assertThat(count("calsync.google.retries", "reason", "rate_limited") - rateLimited)
        .isGreaterThanOrEqualTo(1);

    double manual = runs("manual", "success");
    syncNow("user-run-metrics", conn);
    app.awaitIdle(conn);
    assertThat(runs("manual", "success") - manual).isGreaterThanOrEqualTo(1);
  }

  @Test
  void googlesQuotaExceededCountsAQuotaPauseAndAFailedRun() throws Exception {
    String email = uniqueEmail("quota-metrics");
    google.account(email);
    UUID conn = app.connect("user-quota-metrics", email);
    app.awaitIdle(conn);
    double pauses = meters.get("calsync.google.quota.pauses").counter().count();
    double failed = runs("manual", "error");

    google.fault("calendarList.list", 403, "quotaExceeded", 1);
    syncNow("user-quota-metrics", conn);
    app.awaitIdle(conn);

    assertThat(meters.get("calsync.google.quota.pauses").counter().count() - pauses).isEqualTo(1.0);
    assertThat(runs("manual", "error") - failed).isEqualTo(1.0);
    assertThat(requests("calendarList.list", "403")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theTriggerThatMadeARunOwedIsKeptUnlessAConnectionWideOneReplacesAPush() {
    // a connection only the database knows: no trigger wakes a worker for it, so nothing claims
    // its runs but the test
    UUID conn = UUID.randomUUID();
    Instant now = Instant.now();
    db.sql(
            """
            insert into connections (id, user_id, status, created_at, updated_at)
              values (:id, 'user-trigger-kept', 'active', now(), now())
            """)
        .bind("id", conn)
        .then()
        .block();
    db.sql("insert into connection_sync_state (connection_id) values (:id)")
        .bind("id", conn)
        .then()
        .block();

    states.markPushPending(conn).block();
    states.markPending(conn, SyncTrigger.MANUAL).block();
    states.markPending(conn, SyncTrigger.BACKSTOP).block();
    states.markPushPending(conn).block();
    assertThat(states.claimPending(conn, now).block())
        .isEqualTo(new PendingRun(true, SyncTrigger.MANUAL));

    states.markPushPending(conn).block();
    states.markPushPending(conn).block();
    assertThat(states.claimPending(conn, now).block())
        .isEqualTo(new PendingRun(false, SyncTrigger.PUSH));

    states.markPending(conn, SyncTrigger.SELECTION).block();
    states.markPending(conn, SyncTrigger.MANUAL).block();
    assertThat(states.claimPending(conn, now).block())
        .isEqualTo(new PendingRun(true, SyncTrigger.SELECTION));
    db.sql("delete from connections where id = :id").bind("id", conn).then().block();
  }

  private void syncNow(String user, UUID conn) {
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange()
        .expectStatus()
        .isAccepted();
  }

  private double runs(String trigger, String outcome) {
    return meters
        .find("calsync.sync.runs")
        .tag("trigger", trigger)
        .tag("outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private long durations(String trigger, String outcome) {
    Timer timer =
        meters
            .find("calsync.sync.run.duration")
            .tag("trigger", trigger)
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private long requests(String operation, String status) {
    Timer timer =
        meters
            .find("calsync.google.requests")
            .tag("operation", operation)
            .tag("status", status)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private double count(String name, String tag, String value) {
    Counter counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }
}
