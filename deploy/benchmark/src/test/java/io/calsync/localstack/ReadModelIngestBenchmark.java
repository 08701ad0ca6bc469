package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.Topics;
import io.calsync.localstack.BenchmarkReport.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read-model ingest: {@code event.upserted} messages for connections the read model has not heard
 * of (it shows their events anyway, root README decision 10) produced to {@code
 * calendar.event-changes.v1}, and the time until the query services (every instance of the stack,
 * one consumer group) have written all of them; next to PostgreSQL alone upserting the same rows,
 * one row per statement and in 500-row statements ({@link PostgresCeiling}), in the same run.
 */
@Order(10)
@ExtendWith(SystemStack.class)
class ReadModelIngestBenchmark {

  private static final int ACCOUNTS = 10;
  private static final JsonMapper JSON = CalendarJson.mapper();
  private static final OffsetDateTime NOW =
      OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);

  @Test
  void readModelIngestAgainstPostgresAlone() throws Exception {
    int perAccount = BenchmarkReport.scaled(10_000, 100);
    int total = ACCOUNTS * perAccount;
    List<UUID> connections = new ArrayList<>();
    List<ProducerRecord<String, String>> records = new ArrayList<>(total);
    List<PostgresCeiling.Row> rows = new ArrayList<>(total);
    for (int a = 0; a < ACCOUNTS; a++) {
      UUID connection = UUID.randomUUID();
      UUID calendar = UUID.randomUUID();
      String user = "bench-" + UUID.randomUUID();
      connections.add(connection);
      for (int i = 0; i < perAccount; i++) {
        PostgresCeiling.Row row = row(connection, calendar, user, i);
        rows.add(row);
        records.add(
            new ProducerRecord<>(
                Topics.EVENT_CHANGES,
                connection.toString(),
                JSON.writeValueAsString(
                    new EventUpserted(connection, user, NOW, calendar, 1, payload(row)))));
      }
    }

    long start = System.nanoTime();
    long produced;
    try (KafkaProducer<String, String> producer = producer()) {
      records.forEach(producer::send);
      producer.flush();
      produced = System.nanoTime();
    }
    AtomicLong done = new AtomicLong();
    try (Connection db = PostgresCeiling.events();
        PreparedStatement count =
            db.prepareStatement("select count(*) from events where connection_id = any(?)")) {
      count.setArray(1, db.createArrayOf("uuid", connections.toArray()));
      await()
          .atMost(Duration.ofSeconds(Math.max(300, total / 50)))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                try (ResultSet r = count.executeQuery()) {
                  r.next();
                  if (r.getLong(1) < total) {
                    return false;
                  }
                  done.set(System.nanoTime());
                  return true;
                }
              });
    }
    double ingest = total / seconds(done.get() - start);

    PostgresCeiling.Rates ceiling = PostgresCeiling.measure(rows);

    double ratio = ingest / ceiling.oneRowPerStatement();
    BenchmarkReport.section(
        "Read-model ingest",
        String.format(
            Locale.ROOT,
            "%,d `event.upserted` messages (%d accounts × %,d events, about %d bytes each) produced to"
                + " `%s` for connections the read model had not seen, until all %,d rows were in"
                + " `events` (every query-service instance, one consumer group); then PostgreSQL alone"
                + " upserting the same rows into a scratch copy of `events`.",
            total,
            ACCOUNTS,
            perAccount,
            records.get(0).value().length(),
            Topics.EVENT_CHANGES,
            total),
        Table.of("what", "rows/s", "seconds")
            .row(
                "ingest: produce → all rows in the read model",
                BenchmarkReport.figure(ingest),
                BenchmarkReport.figure(seconds(done.get() - start)))
            .row(
                "PostgreSQL, one row per statement",
                BenchmarkReport.figure(ceiling.oneRowPerStatement()),
                BenchmarkReport.figure(total / ceiling.oneRowPerStatement()))
            .row(
                "PostgreSQL, " + PostgresCeiling.BATCH + "-row statements",
                BenchmarkReport.figure(ceiling.batched()),
                BenchmarkReport.figure(total / ceiling.batched()))
            .row("ingest / one row per statement (target ≥ 10)", BenchmarkReport.figure(ratio), ""),
        String.format(
            Locale.ROOT,
            "Producing took %s s of the ingest time (acks=all, idempotent, linger 5 ms).",
            BenchmarkReport.figure(seconds(produced - start))));

    try (Connection db = PostgresCeiling.events();
        PreparedStatement count =
            db.prepareStatement("select count(*) from events where connection_id = any(?)")) {
      count.setArray(1, db.createArrayOf("uuid", connections.toArray()));
      try (ResultSet r = count.executeQuery()) {
        r.next();
        assertThat(r.getLong(1)).isEqualTo(total);
      }
    }
  }

  private static PostgresCeiling.Row row(UUID connection, UUID calendar, String user, int i) {
    OffsetDateTime start =
        NOW.plusHours(i % (24 * 60))
            .atZoneSameInstant(java.time.ZoneId.of("Europe/Berlin"))
            .toOffsetDateTime();
    String id = "bench" + i + "x" + Integer.toHexString(connection.hashCode());
    return new PostgresCeiling.Row(
        connection,
        calendar,
        id,
        user,
        "Meeting " + i,
        "Agenda: status, risks, next steps. Dial-in details are in the invitation. " + i,
        "Room " + (i % 40),
        start,
        start.plusMinutes(30),
        null,
        null,
        "Europe/Berlin",
        "https://www.google.com/calendar/event?eid=" + id,
        NOW.minusMinutes(i % 1000),
        "\"" + (3_000_000_000L + i) + "\"");
  }

  private static EventPayload payload(PostgresCeiling.Row row) {
    return new EventPayload(
        row.eventId(),
        "confirmed",
        row.title(),
        row.description(),
        row.location(),
        EventTime.of(row.start(), row.timeZone()),
        EventTime.of(row.end(), row.timeZone()),
        null,
        null,
        null,
        row.htmlLink(),
        row.updated(),
        row.etag(),
        row.eventId() + "@google.com");
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
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
            256 * 1024),
        new StringSerializer(),
        new StringSerializer());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
