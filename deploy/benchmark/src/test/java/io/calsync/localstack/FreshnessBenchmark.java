package io.calsync.localstack;

import static io.calsync.localstack.BenchmarkReport.figure;
import static io.calsync.localstack.BenchmarkReport.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.EventUpserted;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import tools.jackson.databind.JsonNode;

/**
 * Freshness: how long after its publication an {@code event.upserted} becomes visible in the read
 * model, at a constant 1,000 events/s spread over connections on every partition. Each message's
 * publish time is taken just before it is handed to the producer ({@code acks=all}, idempotent, 5
 * ms linger, as sync-service publishes); it is visible when its notification arrives on a
 * connection that {@code LISTEN}s on the read model's channel ({@code calsync_read_model_changes}):
 * the writer issues {@code pg_notify} in the transaction that applies the message, and PostgreSQL
 * delivers it when that transaction commits, so this is the commit time (plus the notification's
 * delivery on this machine), not a poll's period. The live stream's own path (the query service's
 * listener, the SSE response) is left out.
 */
@Order(35)
@ExtendWith(SystemStack.class)
class FreshnessBenchmark {

  private static final int RATE = 1_000;
  private static final int CONNECTIONS = 30;
  private static final String CHANNEL = "calsync_read_model_changes";

  private final Map<String, Long> published = new ConcurrentHashMap<>();
  private final Map<String, Long> visible = new ConcurrentHashMap<>();

  @Test
  void publishToVisible() throws Exception {
    int seconds = scaled(30, 5);
    int total = RATE * seconds;
    List<EventUpserted> messages = messages(total);
    List<UUID> connections = messages.stream().map(EventUpserted::connectionId).distinct().toList();
    Thread listener;
    long first;
    long last;
    try (Connection db = FaultSuite.readModel()) {
      try (Statement listen = db.createStatement()) {
        listen.execute("LISTEN " + CHANNEL);
      }
      listener = new Thread(() -> listen(db), "freshness-listen");
      listener.start();
      try (ReadModelFeed feed = new ReadModelFeed()) {
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        first = System.nanoTime();
        // every millisecond, send what the constant rate owes by now: the rate holds without drift
        ScheduledFuture<?> ticks =
            publisher.scheduleAtFixedRate(
                () -> {
                  long due =
                      Math.min(total, (System.nanoTime() - first) * RATE / 1_000_000_000L + 1);
                  while (sent.get() < due) {
                    EventUpserted message = messages.get(sent.getAndIncrement());
                    published.put(message.event().id(), System.nanoTime());
                    feed.send(message);
                  }
                },
                0,
                1,
                TimeUnit.MILLISECONDS);
        await()
            .atMost(Duration.ofSeconds(seconds * 3L + 30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> sent.get() >= total);
        last = System.nanoTime();
        ticks.cancel(false);
        publisher.shutdown();
        assertThat(feed.flush()).isEqualTo(total);
      }
      ReadModelFeed.awaitRows(connections, total, Duration.ofSeconds(120 + total / 20));
      // the last notifications follow their commits at once
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> visible.keySet().containsAll(published.keySet()));
      listener.interrupt();
      listener.join(5_000);
    }
    long[] millis =
        published.entrySet().stream()
            .filter(entry -> visible.containsKey(entry.getKey()))
            .mapToLong(entry -> (visible.get(entry.getKey()) - entry.getValue()) / 1_000_000)
            .sorted()
            .toArray();
    assertThat(millis).hasSize(total);
    double achieved = total / ((last - first) / 1e9);
    BenchmarkReport.section(
        "Freshness: Kafka publish → row visible",
        "`event.upserted` published at a constant "
            + figure(RATE)
            + " events/s for "
            + seconds
            + " s over "
            + CONNECTIONS
            + " connections (every partition), each a new one-hour event; visible = the commit of "
            + "the transaction that applied it, heard as its `pg_notify` on a JDBC connection that "
            + "`LISTEN`s on `"
            + CHANNEL
            + "`.",
        BenchmarkReport.Table.of(
                "target events/s",
                "achieved events/s",
                "events",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms")
            .row(
                figure(RATE),
                figure(achieved),
                figure(total),
                figure(percentile(millis, 50)),
                figure(percentile(millis, 95)),
                figure(percentile(millis, 99)),
                figure(millis[millis.length - 1])),
        "Publish time: just before the message is handed to the producer (acks=all, idempotent, "
            + "5 ms linger), so the producer's batching and the broker's acknowledgement are "
            + "included. A read model that ingests more slowly than the rate falls behind for the "
            + "whole run, and the later messages wait longer: then p99 grows with the duration.");
  }

  /** Receives notifications until interrupted; the first one of each event id marks it visible. */
  private void listen(Connection db) {
    try {
      PGConnection pg = db.unwrap(PGConnection.class);
      while (!Thread.currentThread().isInterrupted()) {
        PGNotification[] notifications = pg.getNotifications(200);
        long now = System.nanoTime();
        if (notifications == null) {
          continue;
        }
        for (PGNotification notification : notifications) {
          JsonNode change = CalendarJson.mapper().readTree(notification.getParameter());
          String event = change.path("event_id").asString(null);
          if (event != null) {
            visible.putIfAbsent(event, now);
          }
        }
      }
    } catch (SQLException e) {
      if (!Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("listening failed", e);
      }
    }
  }

  private static List<EventUpserted> messages(int total) {
    EventMessages builder = new EventMessages(35, Instant.now());
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<UUID> connections = new ArrayList<>();
    List<UUID> calendars = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      connections.add(UUID.randomUUID());
      calendars.add(UUID.randomUUID());
    }
    List<EventUpserted> messages = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      int c = i % CONNECTIONS;
      messages.add(
          builder.single(
              connections.get(c), "fresh-" + run + "-" + c, calendars.get(c), 60 + i % 10_000));
    }
    return messages;
  }

  /** Nearest-rank percentile of sorted values. */
  private static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
