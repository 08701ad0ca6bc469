package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.clearFaults;
import static io.calsync.localstack.FaultSuite.deleteEvent;
import static io.calsync.localstack.FaultSuite.fault;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.rows;
import static io.calsync.localstack.FaultSuite.seed;
import static io.calsync.localstack.FaultSuite.syncState;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (d): a full sync fails in its middle, an event it had already published is deleted at
 * Google, and the sync is retried; the deleted event must not survive the retry. The calendar holds
 * more than 1,000 events, so the emulator answers {@code events.list} in two pages (a page never
 * crosses a multiple of 1,000 stored rows) whatever sync-service's page size: the first call passes
 * (a latency-only fault of 0 ms uses it up), then {@code events.list} answers 500 more often than
 * sync-service retries ({@code calsync.google.max-retries} 5), so the run fails after its first
 * page. Before sync-service stored each attempt's generation up front, the retry's {@code
 * snapshot_completed} carried the failed attempt's generation and the deleted event survived.
 */
@Order(64)
@ExtendWith(SystemStack.class)
class FullSyncFailureFaultSystemTests {

  @AfterEach
  void calm() throws Exception {
    clearFaults();
  }

  @Test
  void anEventDeletedBetweenAFailedFullSyncAndItsRetryDoesNotSurvive() throws Exception {
    String user = userToken("faults-" + UUID.randomUUID());
    String account = FaultSuite.newAccount();
    // stored before the seeded rows, so on the first page
    String doomed = insertEvent(account, "Deleted between the attempts", 1);
    seed(account, 1200, 30);

    fault("events.list", 0, 1, 0);
    fault("events.list", 500, 6, 0);
    UUID connection = UUID.fromString(connect(user, account));
    Oracle.Subject subject = new Oracle.Subject(user, Map.of(connection, account));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> syncState(subject, connection), "error"::equals);
    clearFaults();
    assertThat(rows(connection)).as("the first page was synced").isGreaterThan(0);

    deleteEvent(account, doomed);
    assertThat(
            send(
                    "POST",
                    gateway("/api/calendar/sync/"),
                    user,
                    "{\"connection_id\":\"" + connection + "\"}")
                .statusCode())
        .isEqualTo(202);

    judge("d full sync failed mid-way, deletion, retry", List.of(subject), Duration.ofSeconds(60));
  }
}
