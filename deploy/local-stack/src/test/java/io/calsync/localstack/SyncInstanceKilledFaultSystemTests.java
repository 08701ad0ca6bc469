package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.SYNC_SERVICE;
import static io.calsync.localstack.FaultSuite.clearFaults;
import static io.calsync.localstack.FaultSuite.fault;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.leaseHolders;
import static io.calsync.localstack.FaultSuite.newAccount;
import static io.calsync.localstack.FaultSuite.note;
import static io.calsync.localstack.FaultSuite.seed;
import static io.calsync.localstack.SystemClient.connectWithoutWaiting;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (j): of the two sync-service instances, the one holding leases in the middle of first
 * syncs is killed with {@code SIGKILL}. Google answers slowly (1.5 s a page) while the runs start,
 * so the runs are in progress when the kill comes. The other instance must take every connection
 * over once the dead one's leases expired ({@code SYNC_LEASE_TTL}, 2 minutes, and the backstop's
 * 15-second tick), finish the runs it left, and the oracle agree. The killed instance is started
 * again afterwards, for the classes after this one.
 */
@Order(70)
@ExtendWith(SystemStack.class)
class SyncInstanceKilledFaultSystemTests {

  private static final int EVENTS = 300;
  private static final int SLOW_PAGES = 12;

  @Test
  void theSurvivingInstanceFinishesTheRunsOfAKilledOne() throws Exception {
    List<Oracle.Subject> subjects = new ArrayList<>();
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String account = newAccount();
      seed(account, EVENTS, 14);
      accounts.add(account);
    }
    fault("events.list", 0, SLOW_PAGES, 1500);
    List<UUID> connections = new ArrayList<>();
    for (String account : accounts) {
      String user = userToken("faults-" + UUID.randomUUID());
      UUID connection = UUID.fromString(connectWithoutWaiting(user, account));
      connections.add(connection);
      subjects.add(new Oracle.Subject(user, Map.of(connection, account)));
    }

    AtomicReference<Map<UUID, String>> held = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              held.set(leaseHolders(connections));
              return !held.get().isEmpty();
            });
    String victim = held.get().values().iterator().next();
    assertThat(SystemStack.stack().instancesOf(SYNC_SERVICE)).contains(victim).hasSize(2);
    long victimsLeases = held.get().values().stream().filter(victim::equals).count();
    Instant killed = Instant.now();
    try {
      assertThat(SystemStack.stack().kill(victim)).isEqualTo(137);
      note(
          "j: "
              + victim
              + " killed holding the leases of "
              + victimsLeases
              + " of "
              + connections.size()
              + " connections in their first sync");
      clearFaults();

      judge(
          "j one of two sync-service instances killed holding leases",
          subjects,
          Duration.ofMinutes(5));
      note(
          "j: agreed "
              + Duration.between(killed, Instant.now()).toSeconds()
              + " s after the kill (lease TTL 2 min + backstop tick 15 s)");
    } finally {
      SystemStack.stack().restart(victim);
      // the classes after this one find the public API whole again (the gateway's breaker closed)
      String user = userToken("faults-" + UUID.randomUUID());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> get(gateway("/api/calendar/sync/status/"), user).statusCode() == 200);
    }
  }
}
