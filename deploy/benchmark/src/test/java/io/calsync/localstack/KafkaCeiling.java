package io.calsync.localstack;

import io.calsync.contract.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka alone, the ceiling of the pipeline's middle: the same messages (records sync-service
 * published in this run, keys, values and headers, cycled) produced to a fresh topic with the
 * partitions of {@code calendar.event-changes.v1} by one producer with sync-service's settings
 * ({@code acks=all}, idempotence, its linger, batch size and compression), and read back by one
 * consumer; timed from the first send to the last record read.
 */
final class KafkaCeiling {

  /** sync-service's {@code KAFKA_TOPIC_PARTITIONS} default. */
  static final int PARTITIONS = 3;

  /** sync-service's producer defaults (its application.yml). */
  static final String LINGER_MS = "10";

  static final int BATCH_SIZE = 16 * 1024;
  static final String COMPRESSION = "lz4";

  private KafkaCeiling() {}

  record Result(String compression, long messages, long valueBytes, Duration elapsed) {
    double perSecond() {
      return messages / (elapsed.toNanos() / 1e9);
    }
  }

  /** Latest offsets of {@code calendar.event-changes.v1}: where this run's messages start. */
  static Map<TopicPartition, Long> endOffsets(String bootstrap) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(Topics.EVENT_CHANGES)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      return new HashMap<>(consumer.endOffsets(partitions));
    }
  }

  /**
   * Up to {@code limit} records of the given keys (connection ids) published since {@code from}, as
   * they are on the topic.
   */
  static List<ProducerRecord<String, String>> sample(
      String bootstrap, Map<TopicPartition, Long> from, Set<String> keys, int limit) {
    List<ProducerRecord<String, String>> sample = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      consumer.assign(from.keySet());
      from.forEach(consumer::seek);
      Map<TopicPartition, Long> end = consumer.endOffsets(from.keySet());
      while (sample.size() < limit && !reached(consumer, end)) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          if (keys.contains(r.key()) && sample.size() < limit) {
            sample.add(
                new ProducerRecord<>(Topics.EVENT_CHANGES, null, r.key(), r.value(), r.headers()));
          }
        }
      }
    }
    return sample;
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** {@code count} records cycled from {@code sample}, produced and consumed with {@code codec}. */
  static Result measure(
      String bootstrap, List<ProducerRecord<String, String>> sample, long count, String codec)
      throws Exception {
    String topic = "benchmark.kafka-ceiling-" + codec + "-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    CountDownLatch assigned = new CountDownLatch(1);
    CompletableFuture<Long> consumed =
        CompletableFuture.supplyAsync(() -> consumeAll(bootstrap, topic, count, assigned));
    // the consumer sits at the start of the empty topic before the clock starts
    if (!assigned.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the ceiling's consumer was not assigned its partitions");
    }
    long valueBytes = 0;
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = producer(bootstrap, codec)) {
      for (long i = 0; i < count; i++) {
        ProducerRecord<String, String> r = sample.get((int) (i % sample.size()));
        valueBytes += r.value().length();
        producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers()));
      }
      producer.flush();
    }
    long end = consumed.get(10, TimeUnit.MINUTES);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    }
    return new Result(codec, count, valueBytes, Duration.ofNanos(end - start));
  }

  /** Reads {@code count} records of {@code topic}; answers when the last one was read. */
  private static long consumeAll(
      String bootstrap, String topic, long count, CountDownLatch assigned) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      partitions.forEach(consumer::position);
      assigned.countDown();
      long read = 0;
      while (read < count) {
        read += consumer.poll(Duration.ofMillis(200)).count();
      }
      return System.nanoTime();
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap, String codec) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(props);
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return new KafkaConsumer<>(props);
  }
}
