package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.QUERY_SERVICE;
import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.readModel;
import static io.calsync.localstack.FaultSuite.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (g): the read model is rebuilt from nothing: every events-query-service instance is
 * stopped, its tables emptied (Flyway's history kept, so no migration runs again), its consumer
 * group {@code events-query-service} reset to the earliest offsets of every partition it had
 * committed, and the service started again: replaying the whole change log (every earlier test's
 * messages too) must give the read model the oracle agrees with.
 */
@Order(67)
@ExtendWith(SystemStack.class)
class ChangeLogReplayFaultSystemTests {

  private static final String GROUP = "events-query-service";

  @Test
  void theWholeChangeLogReplayedIntoAnEmptyReadModelAgrees() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject());
    settle(subjects);
    for (Oracle.Subject subject : subjects) {
      insertEvent(accountOf(subject), "Before the replay", 20);
    }
    settle(subjects);

    List<String> queryInstances = SystemStack.stack().instancesOf(QUERY_SERVICE);
    for (String instance : queryInstances) {
      SystemStack.stack().stop(instance);
    }
    try {
      emptyReadModel();
      resetConsumerGroupToEarliest();
    } finally {
      for (String instance : queryInstances) {
        SystemStack.stack().restart(instance);
      }
    }

    judge("g change log replayed into an empty read model", subjects, Duration.ofSeconds(120));
  }

  private static void emptyReadModel() throws Exception {
    List<String> tables = new ArrayList<>();
    try (var db = readModel();
        var statement = db.createStatement()) {
      try (var rows =
          statement.executeQuery(
              "select tablename from pg_tables where schemaname = 'public'"
                  + " and tablename <> 'flyway_schema_history'")) {
        while (rows.next()) {
          tables.add(rows.getString(1));
        }
      }
      assertThat(tables).contains("events");
      statement.execute("truncate table " + String.join(", ", tables) + " cascade");
    }
  }

  private static void resetConsumerGroupToEarliest() {
    Properties config = new Properties();
    config.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SystemStack.stack().kafkaBootstrapServers());
    try (Admin admin = Admin.create(config)) {
      // a group can only be reset while it has no member: the stopped service left it
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                assertThat(committed).isNotEmpty();
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                committed.keySet().forEach(p -> earliest.put(p, OffsetSpec.earliest()));
                Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
                admin
                    .listOffsets(earliest)
                    .all()
                    .get()
                    .forEach((p, o) -> reset.put(p, new OffsetAndMetadata(o.offset())));
                admin.alterConsumerGroupOffsets(GROUP, reset).all().get();
              });
    }
  }
}
