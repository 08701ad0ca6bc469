package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.awaitRequests;
import static io.calsync.localstack.FaultSuite.clearFaults;
import static io.calsync.localstack.FaultSuite.emulator;
import static io.calsync.localstack.FaultSuite.fault;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.requests;
import static io.calsync.localstack.FaultSuite.rows;
import static io.calsync.localstack.FaultSuite.settle;
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
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (e): the grant of one of a user's two connections is revoked at Google while that
 * connection's sync waits for Google's answer (a 2 s latency fault holds the {@code events.list}
 * call). The call then meets 401, the forced refresh {@code invalid_grant}: the connection turns
 * {@code reauth_required}. What the oracle compares then: the upcoming list shows none of that
 * connection's events (the user is asked to reconnect), the other connection still agrees with
 * Google, and the read model still holds exactly what the change log says was synced for both.
 */
@Order(65)
@ExtendWith(SystemStack.class)
class RevokedDuringSyncFaultSystemTests {

  @AfterEach
  void calm() throws Exception {
    clearFaults();
  }

  @Test
  void aGrantRevokedDuringASyncHidesThatConnectionAndKeepsWhatWasSynced() throws Exception {
    String user = userToken("faults-" + UUID.randomUUID());
    String revokedAccount = FaultSuite.newAccount();
    UUID revoked = UUID.fromString(connect(user, revokedAccount));
    String keptAccount = FaultSuite.newAccount();
    UUID kept = UUID.fromString(connect(user, keptAccount));
    Oracle.Subject both =
        new Oracle.Subject(user, Map.of(revoked, revokedAccount, kept, keptAccount));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> rows(revoked) > 0 && rows(kept) > 0);
    settle(List.of(both));
    long synced = rows(revoked);

    long before = requests("events.list");
    fault("events.list", 0, 1, 2000);
    assertThat(
            send(
                    "POST",
                    gateway("/api/calendar/sync/"),
                    user,
                    "{\"connection_id\":\"" + revoked + "\"}")
                .statusCode())
        .isEqualTo(202);
    // the run's events.list call has arrived and is held for 2 s: revoke now
    awaitRequests("events.list", before + 1, Duration.ofSeconds(30));
    assertThat(
            send(
                    "POST",
                    emulator("/emulator/v1/accounts/" + revokedAccount + "/revoke-grants"),
                    null,
                    "{}")
                .statusCode())
        .isBetween(200, 299);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> syncState(both, revoked), "reauth_required"::equals);
    judge(
        "e grant revoked during a sync",
        List.of(new Oracle.Subject(user, Map.of(kept, keptAccount), Set.of(revoked))),
        Duration.ofSeconds(60));
    assertThat(rows(revoked)).as("what was synced before the revoke").isEqualTo(synced);
  }
}
