package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.SYNC_SERVICE;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.leaseHolders;
import static io.calsync.localstack.FaultSuite.note;
import static io.calsync.localstack.FaultSuite.seed;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.Topics;
import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Fault suite, heavy: the sync-service instance doing it (the holder of the connection's lease) is
 * killed with {@code SIGKILL} in the middle of the full sync of a calendar of 20,000 events (once
 * at least 2,000 of its messages are on {@code calendar.event-changes.v1}, and fewer than all), and
 * started again with the same settings; the sync must be taken up again (the dead instance's lease
 * expires, the backstop re-enqueues the owed run) and the oracle agree. Before asking the oracle,
 * which replays the whole topic on every check, the test waits cheaply for a successful run after
 * the restart and for events-query-service to have consumed everything. Too slow for {@code
 * verify}: tagged {@code heavy}, run by the root README's command (profile {@code
 * fault-suite-heavy}).
 */
@Tag("heavy")
@Order(80)
@ExtendWith(SystemStack.class)
class SyncServiceKilledMidFullSyncHeavyFaultSystemTests {

  private static final int EVENTS = 20_000;

  @Test
  void aSyncServiceKilledInAFullSyncOf20000EventsFinishesItAfterARestart() throws Exception {
    String user = userToken("faults-" + UUID.randomUUID());
    String account = newGoogleAccount();
    seed(account, EVENTS, 60);
    try (Admin kafka = admin()) {
      long before = published(kafka);
      UUID connection = UUID.fromString(connect(user, account));

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> published(kafka) - before >= 2_000);
      // the instance doing the full sync: the one holding the connection's lease
      String holder = leaseHolders(Set.of(connection)).get(connection);
      assertThat(SystemStack.stack().instancesOf(SYNC_SERVICE)).contains(holder);
      assertThat(SystemStack.stack().kill(holder)).isEqualTo(137);
      long atKill = published(kafka) - before;
      note("heavy: " + holder + " killed after " + atKill + " messages of the full sync");
      assertThat(atKill).as("killed in the middle of the full sync").isLessThan(EVENTS);
      Instant restarted = Instant.now();
      SystemStack.stack().restart(holder);

      await()
          .atMost(Duration.ofMinutes(25))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> succeededSince(user, connection, restarted) && lag(kafka) == 0);
      judge(
          "heavy sync-service killed mid full sync of 20000 events",
          List.of(new Oracle.Subject(user, Map.of(connection, account))),
          Duration.ofMinutes(5));
      note(
          "heavy: agreed "
              + Duration.between(restarted, Instant.now()).toSeconds()
              + " s after sync-service's restart");
    }
  }

  private static Admin admin() {
    Properties config = new Properties();
    config.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SystemStack.stack().kafkaBootstrapServers());
    return Admin.create(config);
  }

  private static Map<TopicPartition, Long> ends(Admin kafka)
      throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    kafka
        .describeTopics(List.of(Topics.EVENT_CHANGES))
        .allTopicNames()
        .get()
        .get(Topics.EVENT_CHANGES)
        .partitions()
        .forEach(
            p ->
                latest.put(
                    new TopicPartition(Topics.EVENT_CHANGES, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, Long> ends = new HashMap<>();
    kafka.listOffsets(latest).all().get().forEach((p, o) -> ends.put(p, o.offset()));
    return ends;
  }

  /** Messages on the change topic so far. */
  private static long published(Admin kafka) throws InterruptedException, ExecutionException {
    return ends(kafka).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Messages on the change topic events-query-service has not committed yet. */
  private static long lag(Admin kafka) throws InterruptedException, ExecutionException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        kafka
            .listConsumerGroupOffsets("events-query-service")
            .partitionsToOffsetAndMetadata()
            .get();
    long lag = 0;
    for (Map.Entry<TopicPartition, Long> end : ends(kafka).entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      lag += end.getValue() - (done == null ? 0 : done.offset());
    }
    return lag;
  }

  private static boolean succeededSince(String user, UUID connection, Instant since)
      throws Exception {
    for (JsonNode c : json(get(gateway("/api/calendar/sync/status/"), user)).path("connections")) {
      if (connection.toString().equals(c.path("connection_id").asString())
          && c.hasNonNull("last_success_at")) {
        return OffsetDateTime.parse(c.get("last_success_at").asString()).toInstant().isAfter(since);
      }
    }
    return false;
  }
}
