package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.connectionOf;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.settle;
import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.Topics;
import io.calsync.localstack.oracle.ChangeLogReplica;
import io.calsync.localstack.oracle.Oracle;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of each service against one database and one broker (issue 7, item 2): the consumer
 * groups spread their partitions over both, syncs triggered through both gateways for the same
 * connections never run twice at once (every change is published exactly once), every connection is
 * synced, and a user's stream on either query instance receives the changes the other one consumed.
 */
@Order(50)
@ExtendWith(SystemStack.class)
class TwoInstancesSystemTests {

  @Test
  void eachConsumerGroupSpreadsItsPartitionsOverBothInstances() {
    try (Admin kafka = admin()) {
      for (String group : List.of("sync-service", "events-query-service")) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  ConsumerGroupDescription described =
                      kafka.describeConsumerGroups(List.of(group)).all().get().get(group);
                  // one consumer per topic and instance: two members holding partitions of
                  // calendar.connections.v1 are the two instances sharing it
                  Map<String, List<TopicPartition>> byMember =
                      connectionsPartitionsByMember(described);
                  assertThat(byMember).as(group + ": members with partitions").hasSize(2);
                  assertThat(byMember.values().stream().mapToInt(List::size).sum())
                      .as(group + ": partitions assigned")
                      .isEqualTo(3);
                });
      }
    }
  }

  @Test
  void syncsTriggeredThroughBothInstancesPublishEveryChangeOnceAndSyncEveryConnection()
      throws Exception {
    List<Oracle.Subject> subjects = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      subjects.add(newSubject());
    }
    settle(subjects);
    Set<UUID> connections =
        subjects.stream().map(FaultSuite::connectionOf).collect(Collectors.toSet());
    double runsBefore = runs(2);

    for (int round = 0; round < 3; round++) {
      List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
      for (Oracle.Subject subject : subjects) {
        insertEvent(accountOf(subject), "Two instances, round " + round, 40 + round);
        // the same "sync now" through both gateways at once: both sync instances are asked
        for (LocalStackSettings.Lane lane : settings().lanes()) {
          requests.add(syncNow(lane, subject));
        }
      }
      for (CompletableFuture<HttpResponse<String>> request : requests) {
        // 202, or 429 when the other instance's request was accepted first and its run began
        assertThat(request.get().statusCode()).as(request.get().body()).isIn(202, 429);
      }
    }

    judge("two instances: syncs triggered through both", subjects, Duration.ofSeconds(120));
    Map<String, Integer> published = upsertsPerChange(connections);
    assertThat(published).isNotEmpty();
    assertThat(published)
        .as("event.upserted per (connection, event, etag): a second holder would repeat some")
        .allSatisfy((change, times) -> assertThat(times).as(change).isEqualTo(1));
    assertThat(runs(2)).as("sync runs of the second instance").isGreaterThan(runsBefore);
  }

  @Test
  void aStreamOnEitherQueryInstanceReceivesChangesTheOtherConsumed() throws Exception {
    Oracle.Subject subject = newSubject();
    settle(List.of(subject));
    List<List<String>> streams = new ArrayList<>();
    List<CompletableFuture<?>> open = new ArrayList<>();
    try {
      for (LocalStackSettings.Lane lane : settings().lanes()) {
        List<String> lines = new CopyOnWriteArrayList<>();
        streams.add(lines);
        open.add(stream(lane, subject.userToken(), lines));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> streams.stream().allMatch(lines -> !lines.isEmpty()));

      // the change is consumed by one query instance, the one holding its partition; each
      // instance's streams hear it through PostgreSQL's NOTIFY
      String id = insertEvent(accountOf(subject), "Heard on both instances", 45);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(streams)
                      .allSatisfy(
                          lines ->
                              assertThat(String.join("\n", lines))
                                  .contains(id)
                                  .contains(connectionOf(subject).toString())));
    } finally {
      open.forEach(stream -> stream.cancel(true));
    }
  }

  private static CompletableFuture<HttpResponse<String>> syncNow(
      LocalStackSettings.Lane lane, Oracle.Subject subject) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(lane.gatewayUrl() + "/api/calendar/sync/"))
            .header("Authorization", "Bearer " + subject.userToken())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"connection_id\":\"" + connectionOf(subject) + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Opens the user's event stream through the lane's gateway, adding its lines to {@code lines}.
   */
  private static CompletableFuture<?> stream(
      LocalStackSettings.Lane lane, String token, List<String> lines) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(lane.gatewayUrl() + "/api/calendar/events/stream/"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.fromLineSubscriber(
            new Flow.Subscriber<String>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                // the connection itself is a line, so the test knows the stream is open
                lines.add(": opened");
                subscription.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(String line) {
                lines.add(line);
              }

              @Override
              public void onError(Throwable failure) {
                lines.add(": failed " + failure);
              }

              @Override
              public void onComplete() {
                lines.add(": completed");
              }
            }));
  }

  private static Map<String, List<TopicPartition>> connectionsPartitionsByMember(
      ConsumerGroupDescription group) {
    Map<String, List<TopicPartition>> byMember = new HashMap<>();
    for (MemberDescription member : group.members()) {
      List<TopicPartition> partitions =
          member.assignment().topicPartitions().stream()
              .filter(p -> p.topic().equals(Topics.CONNECTIONS))
              .toList();
      if (!partitions.isEmpty()) {
        byMember.put(member.consumerId(), partitions);
      }
    }
    return byMember;
  }

  /** {@code calsync_sync_runs_total} of the lane's sync-service, all triggers and outcomes. */
  private static double runs(int lane) throws Exception {
    int port = settings().lanes().get(lane - 1).managementPorts().sync();
    String scrape =
        send("GET", "http://localhost:" + port + "/actuator/prometheus", null, null).body();
    return scrape
        .lines()
        .filter(line -> line.startsWith("calsync_sync_runs_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * How often each change ({@code connection|event id|etag}) of the given connections was published
   * as {@code event.upserted}, over the whole change topic.
   */
  private static Map<String, Integer> upsertsPerChange(Set<UUID> connections) {
    Map<String, Integer> published = new HashMap<>();
    ChangeLogReplica.forEachRecord(
        SystemStack.stack().kafkaBootstrapServers(),
        connections,
        record -> {
          JsonNode message = SystemClient.JSON.readTree(record.value());
          if ("event.upserted".equals(message.path("type").asString())) {
            JsonNode event = message.path("event");
            published.merge(
                record.key()
                    + "|"
                    + event.path("id").asString()
                    + "|"
                    + event.path("etag").asString(),
                1,
                Integer::sum);
          }
        });
    return published;
  }

  private static Admin admin() {
    Properties config = new Properties();
    config.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SystemStack.stack().kafkaBootstrapServers());
    return Admin.create(config);
  }
}
