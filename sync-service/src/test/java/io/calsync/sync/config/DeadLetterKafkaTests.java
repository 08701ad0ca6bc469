package io.calsync.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.Topics;
import io.calsync.sync.support.TestInfra;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** The dead-letter publishing of {@link KafkaConfig} against the test broker, without Spring. */
class DeadLetterKafkaTests {

  @Test
  void whenTheDeadLetterTopicHasFewerPartitionsThenAPoisonRecordStillLandsThere() throws Exception {
    String source = "dlt-partitions-" + UUID.randomUUID();
    String brokers = TestInfra.KAFKA.getBrokersAsString();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(source, 3, (short) 1),
                  new NewTopic(Topics.deadLetter(source), 1, (short) 1)))
          .all()
          .get();
    }
    var producers =
        new DefaultKafkaProducerFactory<String, String>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                5000),
            new StringSerializer(),
            new StringSerializer());
    try {
      var poison = new ConsumerRecord<>(source, 2, 7L, "conn-key", "this is not json");

      var meters = new SimpleMeterRegistry();
      KafkaConfig.deadLetters(new KafkaTemplate<>(producers), meters)
          .accept(poison, new IllegalArgumentException("poison"));

      assertThat(read(Topics.deadLetter(source), brokers))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.key()).isEqualTo("conn-key");
                assertThat(r.value()).isEqualTo("this is not json");
                assertThat(r.partition()).isZero();
              });
      assertThat(
              meters
                  .get("calsync.kafka.dead.letters")
                  .tag("topic", Topics.deadLetter(source))
                  .counter()
                  .count())
          .isEqualTo(1.0);
      assertThat(
              meters
                  .get("calsync.kafka.dead.letters")
                  .tag("topic", Topics.deadLetter(Topics.CONNECTIONS))
                  .counter()
                  .count())
          .isZero();
    } finally {
      producers.destroy();
    }
  }

  private static List<ConsumerRecord<String, String>> read(String topic, String brokers) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                brokers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
              });
    }
    return records;
  }
}
