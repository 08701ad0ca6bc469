package io.calsync.sync.support;

import io.calsync.contract.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What reached a topic's {@code <topic>.DLT} under one key, read from the beginning. */
public final class DeadLetters implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  private final String key;
  private final List<String> values = new ArrayList<>();

  public DeadLetters(String topic, String key) {
    this.key = key;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.subscribe(List.of(Topics.deadLetter(topic)));
  }

  /** The values dead-lettered under the key so far (after one more short poll). */
  public List<String> values() {
    consumer
        .poll(Duration.ofMillis(200))
        .forEach(
            r -> {
              if (key.equals(r.key())) {
                values.add(r.value());
              }
            });
    return List.copyOf(values);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
