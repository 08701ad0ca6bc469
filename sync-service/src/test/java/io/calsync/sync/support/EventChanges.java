package io.calsync.sync.support;

import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A downstream consumer of {@code calendar.event-changes.v1} for one connection (records of other
 * connections are ignored): reads from the beginning, keeps every record in order.
 */
public final class EventChanges implements AutoCloseable {

  private static final JsonMapper JSON = CalendarJson.mapper();

  /** A record as a downstream consumer sees it. */
  public record Received(
      String key, Map<String, String> headers, String value, EventChangeMessage message) {
    public String header(String name) {
      return headers.get(name);
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final String key;
  private final List<Received> received = new ArrayList<>();

  public EventChanges(UUID connectionId) {
    this.key = connectionId.toString();
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.subscribe(List.of(Topics.EVENT_CHANGES));
  }

  /** Polls until {@code done} holds for everything received so far; returns it all. */
  public List<Received> awaitUntil(Predicate<List<Received>> done) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              poll();
              return done.test(received);
            });
    return List.copyOf(received);
  }

  /** Everything received so far (after one more short poll). */
  public List<Received> all() {
    poll();
    return List.copyOf(received);
  }

  private void poll() {
    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
      if (!key.equals(r.key())) {
        continue;
      }
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
      received.add(
          new Received(
              r.key(), headers, r.value(), JSON.readValue(r.value(), EventChangeMessage.class)));
    }
  }

  public static long count(List<Received> list, String type) {
    return list.stream().filter(r -> r.message().type().equals(type)).count();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
