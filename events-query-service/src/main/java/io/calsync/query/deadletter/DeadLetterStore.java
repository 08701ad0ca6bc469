package io.calsync.query.deadletter;

import io.calsync.contract.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * A dead-letter topic read and re-driven with plain, blocking Kafka clients (callers run it on a
 * bounded scheduler). The records that wait are those after the offsets committed by the re-drive
 * consumer group (all of them before the first re-drive). A re-drive copies each waiting record
 * into the source topic (same key, value and headers, the {@code kafka_dlt-*} ones removed, {@link
 * #REDRIVEN} added), then commits the group's offsets at the end the re-drive started from: each
 * record is re-driven at most once. A record that fails again after its re-drive comes back with
 * {@link #REDRIVEN} and is skipped, so a poison record never circles.
 */
final class DeadLetterStore {

  /** The header a re-driven record carries: where it was re-driven from. */
  static final String REDRIVEN = Topics.REDRIVEN_FROM_HEADER;

  private static final String DLT_PREFIX = "kafka_dlt-";

  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> producerConfig;
  private final Duration timeout;

  /**
   * @param consumerConfig the service's consumer settings (bootstrap servers, security); group,
   *     deserializers and commits are set here
   * @param producerConfig the service's producer settings; serializers are set here
   * @param redriveGroup the consumer group whose committed offsets mark what was re-driven
   * @param timeout the longest a Kafka call takes (then {@link KafkaException})
   */
  DeadLetterStore(
      Map<String, Object> consumerConfig,
      Map<String, Object> producerConfig,
      String redriveGroup,
      Duration timeout) {
    Map<String, Object> consumer = new HashMap<>(consumerConfig);
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, redriveGroup);
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    consumer.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    consumer.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
    consumer.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    this.consumerConfig = Map.copyOf(consumer);
    Map<String, Object> producer = new HashMap<>(producerConfig);
    producer.put("max.block.ms", (int) timeout.toMillis());
    producer.remove("key.serializer");
    producer.remove("value.serializer");
    this.producerConfig = Map.copyOf(producer);
    this.timeout = timeout;
  }

  /** What waits in {@code deadLetterTopic}: count, oldest and newest, the first {@code limit}. */
  Waiting waiting(String deadLetterTopic, int limit) {
    List<Waiting.Entry> listed = new ArrayList<>();
    long[] count = {0};
    Instant[] range = {null, null};
    try (var consumer = consumer()) {
      read(
          consumer,
          deadLetterTopic,
          r -> {
            count[0]++;
            Instant at = Instant.ofEpochMilli(r.timestamp());
            range[0] = range[0] == null || at.isBefore(range[0]) ? at : range[0];
            range[1] = range[1] == null || at.isAfter(range[1]) ? at : range[1];
            if (listed.size() < limit) {
              listed.add(entry(r));
            }
          });
    }
    return new Waiting(deadLetterTopic, count[0], range[0], range[1], List.copyOf(listed));
  }

  /**
   * Copies what waits in {@code deadLetterTopic} into {@code sourceTopic}, then commits: how many
   * records were re-driven and how many were skipped (they had been re-driven before).
   */
  synchronized Redriven redrive(String deadLetterTopic, String sourceTopic) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    int skipped = 0;
    try (var consumer = consumer();
        var producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      Map<TopicPartition, Long> end = read(consumer, deadLetterTopic, records::add);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.headers().lastHeader(REDRIVEN) != null) {
          skipped++;
          continue;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
          if (!h.key().startsWith(DLT_PREFIX)) {
            headers.add(h);
          }
        }
        headers.add(
            REDRIVEN,
            (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        sent.add(
            producer.send(new ProducerRecord<>(sourceTopic, null, r.key(), r.value(), headers)));
      }
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      consumer.commitSync(
          end.entrySet().stream()
              .collect(
                  Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))),
          timeout);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not acknowledge", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException(e);
    }
    return new Redriven(deadLetterTopic, sourceTopic, sent.size(), skipped);
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Hands every waiting record of the topic to {@code each}, in offset order per partition, up to
   * the end offsets taken at the start (returned).
   */
  private Map<TopicPartition, Long> read(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
    Set<TopicPartition> all =
        partitions.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .collect(Collectors.toSet());
    Map<TopicPartition, Long> end = consumer.endOffsets(all, timeout);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(all, timeout);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(all, timeout);
    consumer.assign(all);
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (TopicPartition tp : all) {
      OffsetAndMetadata done = committed.get(tp);
      long from = Math.max(begin.get(tp), done == null ? 0 : done.offset());
      consumer.seek(tp, from);
      if (from < end.get(tp)) {
        remaining.put(tp, end.get(tp));
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!remaining.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException(
            "Reading " + topic + " took longer than " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        Long until = remaining.get(tp);
        if (until != null && r.offset() < until) {
          each.accept(r);
        }
      }
      remaining.keySet().removeIf(tp -> consumer.position(tp, timeout) >= remaining.get(tp));
    }
    return end;
  }

  private static Waiting.Entry entry(ConsumerRecord<byte[], byte[]> r) {
    return new Waiting.Entry(
        r.partition(),
        r.offset(),
        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
        Instant.ofEpochMilli(r.timestamp()),
        header(r, KafkaHeaders.DLT_EXCEPTION_FQCN),
        header(r, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN),
        r.headers().lastHeader(REDRIVEN) != null);
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * What waits in a dead-letter topic; never a payload or an exception message (they may hold
   * personal data).
   */
  record Waiting(String topic, long waiting, Instant oldest, Instant newest, List<Entry> records) {

    /**
     * @param exceptionClass the failure's class ({@code kafka_dlt-exception-fqcn})
     * @param causeClass its cause's class ({@code kafka_dlt-exception-cause-fqcn}), when any
     * @param redriven it failed again after a re-drive: a re-drive skips it
     */
    record Entry(
        int partition,
        long offset,
        String key,
        Instant timestamp,
        String exceptionClass,
        String causeClass,
        boolean redriven) {}
  }

  /** The answer of a re-drive. */
  record Redriven(String topic, String sourceTopic, int redriven, int skipped) {}
}
