package io.calsync.query.readmodel.messaging;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import io.calsync.query.readmodel.persistence.ReadModelWriter.Applied;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka adapter of the read model: batch listeners on the container's consumer threads (never
 * an event loop), one consumer per partition ({@code calsync.query.read-model.topics.partitions},
 * or {@code calsync.query.read-model.concurrency} when set). Each poll's records are applied in one
 * transaction ({@link ReadModelWriter}) and committed before the next poll, so the records of a
 * partition (a connection) apply in order. This is the one place in main code that waits for a
 * reactive pipeline ({@code block}); the ArchitectureTests allow it here only.
 *
 * <p>A record that can never be applied goes to {@code <topic>.DLT} alone: the records before it
 * are applied (in one transaction) and committed, and it is signalled by a {@link
 * BatchListenerFailedException}, upon which the container's error handler dead-letters it and
 * delivers the rest again ({@link ReadModelKafkaConfig}). Unreadable JSON is found before anything
 * is written, a message the rules refuse while projecting; a failure only the database shows (an
 * integrity violation) rolls the batch back, which is then applied one record at a time to find the
 * record. Any other failure is signalled at the batch's first record, which the error handler
 * retries with backoff, without end. A message of an unknown type reads as null and is skipped, so
 * producers can add types.
 *
 * <p>Tracing: Spring Kafka observes record listeners only, not batch listeners, and a poll's
 * records may belong to as many traces. So each connection message applied (a connect, re-consent
 * or disconnect: rare) is noted on one INFO line inside a span continuing the trace of the record's
 * {@code traceparent}, after its transaction committed; event changes, in bulk, are not.
 */
@Component
class ReadModelListener {

  /** Consumers per listener on this instance: the partition count unless set. */
  static final String CONCURRENCY =
      "${calsync.query.read-model.concurrency:${calsync.query.read-model.topics.partitions:3}}";

  private static final Logger log = LoggerFactory.getLogger(ReadModelListener.class);

  private final JsonMapper json = CalendarJson.mapper();
  private final ReadModelWriter writer;
  private final ReadModelProperties properties;
  private final AppliedMeters meters;
  private final ObservationRegistry observations;

  ReadModelListener(
      ReadModelWriter writer,
      ReadModelProperties properties,
      MeterRegistry meters,
      Clock clock,
      ObservationRegistry observations) {
    this.writer = writer;
    this.properties = properties;
    this.meters = new AppliedMeters(meters, clock);
    this.observations = observations;
  }

  @KafkaListener(
      id = "events-query-event-changes",
      topics = Topics.EVENT_CHANGES,
      groupId = "${spring.kafka.consumer.group-id:events-query-service}",
      batch = "true",
      concurrency = CONCURRENCY)
  void onEventChanges(List<ConsumerRecord<String, String>> records) {
    apply(records, EventChangeMessage.class);
  }

  @KafkaListener(
      id = "events-query-connections",
      topics = Topics.CONNECTIONS,
      groupId = "${spring.kafka.consumer.group-id:events-query-service}",
      batch = "true",
      concurrency = CONCURRENCY)
  void onConnections(List<ConsumerRecord<String, String>> records) {
    apply(records, ConnectionMessage.class);
  }

  private void apply(List<ConsumerRecord<String, String>> records, Class<?> type) {
    if (records.isEmpty()) {
      return;
    }
    List<Object> messages = new ArrayList<>(records.size());
    List<ConsumerRecord<String, String>> sources = new ArrayList<>(records.size());
    ConsumerRecord<String, String> unreadable = null;
    RuntimeException unreadableFailure = null;
    for (ConsumerRecord<String, String> record : records) {
      Object message;
      try {
        message = json.readValue(record.value(), type);
      } catch (JacksonException | IllegalArgumentException e) {
        unreadable = record;
        unreadableFailure = e;
        break;
      }
      if (message == null) {
        log.debug(
            "Skipping a message of unknown type at {}-{}@{}",
            record.topic(),
            record.partition(),
            record.offset());
      } else {
        messages.add(message);
        sources.add(record);
      }
    }
    Applied applied = applyAll(messages, sources, records.get(0));
    for (int i = 0; i < applied.count(); i++) {
      if (messages.get(i) instanceof ConnectionMessage message) {
        noteApplied(message, sources.get(i));
      }
    }
    if (applied.failure() != null) {
      throw failedAt(sources.get(applied.count()), applied.failure());
    }
    if (unreadable != null) {
      throw failedAt(unreadable, unreadableFailure);
    }
  }

  private Applied applyAll(
      List<Object> messages,
      List<ConsumerRecord<String, String>> sources,
      ConsumerRecord<String, String> first) {
    try {
      return block(messages);
    } catch (RuntimeException e) {
      if (ListenerFailures.classify(e) != ListenerFailures.Kind.POISON) {
        throw failedAt(first, e); // retried from the batch's first record, with backoff
      }
      return oneByOne(messages, sources);
    }
  }

  /** Finds the record the database refuses: the ones before it are applied, each on its own. */
  private Applied oneByOne(List<Object> messages, List<ConsumerRecord<String, String>> sources) {
    for (int i = 0; i < messages.size(); i++) {
      Applied one;
      try {
        one = block(List.of(messages.get(i)));
      } catch (RuntimeException e) {
        throw failedAt(sources.get(i), e);
      }
      if (one.failure() != null) {
        return new Applied(i, one.failure());
      }
    }
    return new Applied(messages.size(), null);
  }

  private Applied block(List<Object> messages) {
    // the writer announces what it applied, on commit
    Applied applied = writer.apply(messages).block(properties.listenerTimeout());
    meters.committed(messages.subList(0, applied.count()));
    return applied;
  }

  private void noteApplied(ConnectionMessage message, ConsumerRecord<String, String> record) {
    Observation observation =
        Observation.createNotStarted(
                "calsync.read-model.connection-applied",
                () -> {
                  ReceiverContext<ConsumerRecord<String, String>> context =
                      new ReceiverContext<>(ReadModelListener::header, Kind.CONSUMER);
                  context.setCarrier(record);
                  return context;
                },
                observations)
            .contextualName(record.topic() + " applied")
            .start();
    try (Observation.Scope scope = observation.openScope()) {
      log.info("Applied {} of connection {}", message.type(), message.connectionId());
    } finally {
      observation.stop();
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static BatchListenerFailedException failedAt(
      ConsumerRecord<String, String> record, RuntimeException failure) {
    return new BatchListenerFailedException(
        "record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " failed",
        failure,
        record);
  }
}
