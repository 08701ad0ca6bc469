package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /api/calendar/sync/}: a request that finds the connection's sync queued joins it;
 * beyond that a connection takes one manual sync per 30 s (the default), and a request in between
 * is a 429 {@code rate_limited} with {@code Retry-After}. And a body above the codecs' cap is a
 * 413.
 */
@SyncServiceTest
class ManualSyncLimitsApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired MutableClock clock;

  @Autowired MeterRegistry meters;

  private WebTestClient.ResponseSpec sync(String user, String body) {
    return web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private WebTestClient.ResponseSpec syncOne(String user, UUID conn) {
    return sync(user, "{\"connection_id\":\"" + conn + "\"}");
  }

  private UUID connectedAndSynced(String user) throws Exception {
    UUID conn = app.connect(user, uniqueEmail("limits"));
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    return conn;
  }

  private double runs() {
    return meters.find("calsync.sync.runs").counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Another instance holds the connection's lease, so a queued sync stays queued here. */
  private void holdLeaseElsewhere(UUID conn) {
    db.sql(
            "insert into sync_leases (connection_id, owner, expires_at) values (:id, 'another-instance', :until)")
        .bind("id", conn)
        .bind("until", OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5))
        .fetch()
        .rowsUpdated()
        .block();
  }

  private void releaseLease(UUID conn) {
    db.sql("delete from sync_leases where connection_id = :id")
        .bind("id", conn)
        .fetch()
        .rowsUpdated()
        .block();
  }

  @Test
  void requestsForAConnectionWhoseSyncIsQueuedJoinItAndAreNeverLimited() throws Exception {
    String user = "limits-" + UUID.randomUUID();
    UUID conn = connectedAndSynced(user);
    holdLeaseElsewhere(conn);
    double before = runs();

    for (int i = 0; i < 4; i++) {
      syncOne(user, conn)
          .expectStatus()
          .isAccepted()
          .expectBody()
          .jsonPath("$.requested[0].connection_id")
          .isEqualTo(conn.toString())
          .jsonPath("$.requested[0].state")
          .isEqualTo("queued");
    }
    assertThat(app.connectionState(conn)).isEqualTo("queued");

    // the other instance is gone; one more request wakes this instance's worker: exactly one run
    releaseLease(conn);
    syncOne(user, conn).expectStatus().isAccepted();
    app.awaitIdle(conn);
    assertThat(runs() - before).isEqualTo(1.0);
  }

  @Test
  void aSecondManualSyncWithinThirtySecondsIs429UntilTheWindowPassed() throws Exception {
    String user = "limits-" + UUID.randomUUID();
    UUID conn = connectedAndSynced(user);

    syncOne(user, conn).expectStatus().isAccepted();
    app.awaitIdle(conn);
    clock.advance(Duration.ofSeconds(12));

    String problem =
        syncOne(user, conn)
            .expectStatus()
            .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
            .expectHeader()
            .contentTypeCompatibleWith("application/problem+json")
            .expectHeader()
            .value(HttpHeaders.RETRY_AFTER, v -> assertThat(Long.parseLong(v)).isBetween(1L, 18L))
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(problem).contains("\"code\":\"rate_limited\"", "\"status\":429");
    ContractAssertions.assertMatchesOpenApi(
        "POST", ApiPaths.SYNC, 429, "application/problem+json", problem);
    // {} with this one connection, which is limited: 429 too
    sync(user, "{}")
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER);

    clock.advance(Duration.ofSeconds(19));
    syncOne(user, conn).expectStatus().isAccepted();
    app.awaitIdle(conn);
  }

  @Test
  void syncingEveryConnectionQueuesThoseOutsideTheirWindowAndLeavesTheOthersOut() throws Exception {
    String user = "limits-" + UUID.randomUUID();
    UUID limited = connectedAndSynced(user);
    UUID free = connectedAndSynced(user);
    syncOne(user, limited).expectStatus().isAccepted();
    app.awaitIdle(limited);

    sync(user, "{}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.requested.length()")
        .isEqualTo(1)
        .jsonPath("$.requested[0].connection_id")
        .isEqualTo(free.toString());
    app.awaitIdle(free);

    // now both are in their window
    sync(user, "{}")
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("rate_limited");
  }

  @Test
  void aBodyLargerThanTheCapIs413ProblemJsonNot500() {
    String huge = "{\"connection_id\":null,\"padding\":\"" + "x".repeat(200 * 1024) + "\"}";
    String problem =
        sync("limits-" + UUID.randomUUID(), huge)
            .expectStatus()
            .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
            .expectHeader()
            .contentTypeCompatibleWith("application/problem+json")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(problem)
        .contains("\"code\":\"payload_too_large\"", "\"status\":413", "request body");
    ContractAssertions.assertMatchesOpenApi(
        "POST", ApiPaths.SYNC, 413, "application/problem+json", problem);
  }
}
