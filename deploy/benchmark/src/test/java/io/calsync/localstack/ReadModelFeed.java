package io.calsync.localstack;

import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feeds the read model as sync-service does: contract messages on {@code
 * calendar.event-changes.v1}, keyed by connection id, JSON by {@code CalendarJson.mapper()}, with
 * the CloudEvents headers, through a producer with {@code acks=all} and idempotence; and waits
 * until the rows are in the read model's database.
 */
final class ReadModelFeed implements AutoCloseable {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private final KafkaProducer<String, String> producer;
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  ReadModelFeed() {
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SystemStack.stack().kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.BATCH_SIZE_CONFIG,
                128 * 1024),
            new StringSerializer(),
            new StringSerializer());
  }

  /** Sends {@code message} without waiting for its acknowledgement (see {@link #flush}). */
  void send(EventChangeMessage message) {
    RecordHeaders headers = new RecordHeaders();
    header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    header(headers, CloudEventHeaders.ID, UUID.randomUUID().toString());
    header(headers, CloudEventHeaders.SOURCE, CloudEventHeaders.SOURCE_SYNC);
    header(headers, CloudEventHeaders.TYPE, message.type());
    header(
        headers,
        CloudEventHeaders.TIME,
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.occurredAt()));
    header(headers, CloudEventHeaders.SUBJECT, message.calendarId().toString());
    header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    producer.send(
        new ProducerRecord<>(
            Topics.EVENT_CHANGES,
            null,
            message.connectionId().toString(),
            JSON.writeValueAsString(message),
            headers),
        (metadata, e) -> {
          if (e == null) {
            acknowledged.incrementAndGet();
          } else {
            failure.compareAndSet(null, e);
          }
        });
  }

  void sendAll(Collection<? extends EventChangeMessage> messages) {
    messages.forEach(this::send);
  }

  /** Waits until every message sent so far is acknowledged; fails if Kafka refused one. */
  long flush() {
    producer.flush();
    if (failure.get() != null) {
      throw new IllegalStateException("Kafka refused a message", failure.get());
    }
    return acknowledged.get();
  }

  /** Waits until the read model holds {@code expected} live rows of {@code connections}. */
  static void awaitRows(Collection<UUID> connections, long expected, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> rows(connections) >= expected);
  }

  /** The read model's live rows of {@code connections}. */
  static long rows(Collection<UUID> connections) throws SQLException {
    try (Connection db = FaultSuite.readModel();
        PreparedStatement select =
            db.prepareStatement(
                "select count(*) from events where connection_id = any(?) and not deleted")) {
      Array ids = db.createArrayOf("uuid", connections.toArray());
      select.setArray(1, ids);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
