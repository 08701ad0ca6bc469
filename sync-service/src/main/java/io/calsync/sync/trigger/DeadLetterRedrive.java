package io.calsync.sync.trigger;

import io.calsync.contract.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The dead-letter topic of {@code calendar.connections.v1} for operators (actuator endpoint {@code
 * deadletters}, module README "Operator endpoints"): what waits there, and its re-drive into the
 * source topic. What waits is what lies past the committed offsets of the consumer group {@value
 * #GROUP}: a re-drive sends those records (key, value and headers, without the {@code kafka_dlt-*}
 * headers of {@code DeadLetterPublishingRecoverer}) and, once Kafka acknowledged them all, commits
 * the group's offsets past them, so a second re-drive sends only records dead-lettered since. Each
 * re-driven record carries {@link Topics#REDRIVEN_FROM_HEADER}; one that fails again comes back to
 * the dead-letter topic with it and the next re-drive skips it (and counts it), so a poison record
 * never circles, the rule events-query-service's re-drive follows on the same topic. Plain Kafka
 * clients, run on {@link Schedulers#boundedElastic()}, never on an event loop.
 */
@Service
public class DeadLetterRedrive {

  /** The consumer group whose committed offsets mark what was re-driven. */
  public static final String GROUP = "sync-service-dlt-redrive";

  public static final String SOURCE = Topics.CONNECTIONS;
  public static final String DEAD_LETTERS = Topics.deadLetter(SOURCE);

  /** At most this many records are listed in an answer (the count covers them all). */
  static final int LISTED = 500;

  private static final String DLT_HEADER_PREFIX = "kafka_dlt-";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(DeadLetterRedrive.class);

  /**
   * A dead-lettered record without its value (personal data): where it is, its key (a connection
   * id), when it was dead-lettered, the class names of the exception and its cause from the
   * recoverer's headers (never the exception message, which may quote the value), and whether it
   * failed again after a re-drive (a re-drive skips it).
   */
  public record DeadLetter(
      int partition,
      long offset,
      String key,
      Instant timestamp,
      String exceptionClass,
      String causeClass,
      boolean redriven) {}

  /** What waits: how many, the oldest and newest timestamps, the first {@value #LISTED}. */
  public record Waiting(
      String topic, long count, Instant oldest, Instant newest, List<DeadLetter> records) {}

  /**
   * What a re-drive sent to {@code to}: how many, the first {@value #LISTED}, and how many it
   * skipped because they had failed again after an earlier re-drive.
   */
  public record Redriven(
      String topic, String to, long count, long skipped, List<DeadLetter> records) {}

  /** A re-drive is under way on this instance; one at a time. */
  public static final class RedriveInProgressException extends RuntimeException {
    RedriveInProgressException() {
      super("a re-drive of " + DEAD_LETTERS + " is under way");
    }
  }

  /** Kafka could not be read or written in time (its cause says which call failed). */
  public static final class KafkaUnavailableException extends RuntimeException {
    KafkaUnavailableException(Throwable cause) {
      super(
          "Kafka unavailable for " + DEAD_LETTERS + ": " + cause.getClass().getSimpleName(), cause);
    }
  }

  private final KafkaProperties kafka;
  private final KafkaTemplate<String, String> template;
  private final AtomicBoolean redriving = new AtomicBoolean();

  DeadLetterRedrive(KafkaProperties kafka, KafkaTemplate<String, String> template) {
    this.kafka = kafka;
    this.template = template;
  }

  /** The records past the group's committed offsets. */
  public Mono<Waiting> waiting() {
    return Mono.fromCallable(this::list)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(DeadLetterRedrive::unavailable, KafkaUnavailableException::new);
  }

  /** Sends the waiting records to the source topic and commits past them. */
  public Mono<Redriven> redrive() {
    return Mono.defer(
        () -> {
          if (!redriving.compareAndSet(false, true)) {
            return Mono.error(new RedriveInProgressException());
          }
          return Mono.fromCallable(this::sendAndCommit)
              .subscribeOn(Schedulers.boundedElastic())
              .onErrorMap(DeadLetterRedrive::unavailable, KafkaUnavailableException::new)
              .doFinally(signal -> redriving.set(false));
        });
  }

  private Waiting list() {
    List<DeadLetter> listed = new ArrayList<>();
    long[] count = {0};
    Instant[] range = {null, null};
    try (KafkaConsumer<String, String> consumer = consumer()) {
      read(
          consumer,
          r -> {
            count[0]++;
            Instant at = Instant.ofEpochMilli(r.timestamp());
            range[0] = range[0] == null || at.isBefore(range[0]) ? at : range[0];
            range[1] = range[1] == null || at.isAfter(range[1]) ? at : range[1];
            if (listed.size() < LISTED) {
              listed.add(describe(r));
            }
          });
    }
    return new Waiting(DEAD_LETTERS, count[0], range[0], range[1], listed);
  }

  private Redriven sendAndCommit() throws Exception {
    List<DeadLetter> listed = new ArrayList<>();
    List<CompletableFuture<?>> sends = new ArrayList<>();
    long[] skipped = {0};
    try (KafkaConsumer<String, String> consumer = consumer()) {
      Map<TopicPartition, Long> end =
          read(
              consumer,
              r -> {
                if (r.headers().lastHeader(Topics.REDRIVEN_FROM_HEADER) != null) {
                  skipped[0]++;
                  return;
                }
                sends.add(template.send(redriven(r)));
                if (listed.size() < LISTED) {
                  listed.add(describe(r));
                }
              });
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
          .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      end.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset)));
      consumer.commitSync(commit, TIMEOUT);
    }
    log.info(
        "re-drove {} record(s) from {} to {} ({} skipped: re-driven before)",
        sends.size(),
        DEAD_LETTERS,
        SOURCE,
        skipped[0]);
    return new Redriven(DEAD_LETTERS, SOURCE, sends.size(), skipped[0], listed);
  }

  /**
   * Reads every partition of the dead-letter topic from the group's committed offset (the earliest
   * one when none) up to its end offset as of now; returns those end offsets.
   */
  private Map<TopicPartition, Long> read(
      KafkaConsumer<String, String> consumer, Consumer<ConsumerRecord<String, String>> each) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(DEAD_LETTERS, TIMEOUT).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(Set.copyOf(partitions), TIMEOUT);
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata c = committed.get(tp);
      long start = Math.max(begin.get(tp), c == null ? 0 : c.offset());
      consumer.seek(tp, start);
      if (start < end.get(tp)) {
        remaining.put(tp, end.get(tp));
      } else {
        consumer.pause(List.of(tp));
      }
    }
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!remaining.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new org.apache.kafka.common.errors.TimeoutException(
            "reading " + DEAD_LETTERS + " took longer than " + TIMEOUT);
      }
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < end.get(tp)) {
          each.accept(r);
        }
      }
      for (TopicPartition tp : List.copyOf(remaining.keySet())) {
        if (consumer.position(tp, TIMEOUT) >= remaining.get(tp)) {
          remaining.remove(tp);
          consumer.pause(List.of(tp));
        }
      }
    }
    return end;
  }

  /** Kafka's own failures and a send not acknowledged in time; anything else is a bug. */
  private static boolean unavailable(Throwable e) {
    return e instanceof org.apache.kafka.common.KafkaException
        || e instanceof java.util.concurrent.TimeoutException
        || e instanceof java.util.concurrent.ExecutionException;
  }

  private static ProducerRecord<String, String> redriven(ConsumerRecord<String, String> r) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!h.key().startsWith(DLT_HEADER_PREFIX)) {
        headers.add(h);
      }
    }
    headers.add(
        Topics.REDRIVEN_FROM_HEADER,
        (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(SOURCE, null, r.key(), r.value(), headers);
  }

  private static DeadLetter describe(ConsumerRecord<String, String> r) {
    return new DeadLetter(
        r.partition(),
        r.offset(),
        r.key(),
        Instant.ofEpochMilli(r.timestamp()),
        header(r, KafkaHeaders.DLT_EXCEPTION_FQCN),
        header(r, KafkaHeaders.DLT_EXCEPTION_CAUSE_FQCN),
        r.headers().lastHeader(Topics.REDRIVEN_FROM_HEADER) != null);
  }

  private static String header(ConsumerRecord<String, String> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaConsumer<String, String> consumer() {
    Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }
}
