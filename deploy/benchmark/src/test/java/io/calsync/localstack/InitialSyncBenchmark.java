package io.calsync.localstack;

import static io.calsync.localstack.BenchmarkReport.figure;
import static io.calsync.localstack.BenchmarkReport.scaled;
import static io.calsync.localstack.FaultSuite.seededAccount;
import static io.calsync.localstack.SystemClient.connectWithoutWaiting;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.BenchmarkReport.Table;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Initial sync end to end: N emulator accounts of M events each, connected through the gateway as
 * users do, timed from the first callback until every event is a row of the read model; in the same
 * run, sync alone (as many other accounts with both query services stopped, until sync-service's
 * status API reports every calendar idle with all its events) and the ceilings of the stages: the
 * emulator's paging alone ({@link PagingCeiling}), Kafka produce+consume of the same messages alone
 * ({@link KafkaCeiling}) and PostgreSQL upserting the same rows alone ({@link PostgresCeiling}).
 */
@Order(20)
@ExtendWith(SystemStack.class)
class InitialSyncBenchmark {

  /** Records of the run kept to replay through Kafka alone: enough for every size and shape. */
  private static final int KAFKA_SAMPLE = 2_000;

  private record Subject(String userToken, UUID connection) {}

  /** The moment each goal was reached, and the status answers of the moment sync was done. */
  private static final class Progress {
    long syncedAt;
    long queryableAt;
    final List<JsonNode> statusWhenSynced = new ArrayList<>();

    /**
     * Each connection's earliest run start the polls saw: the status API keeps only the last
     * attempt, which a later run (a push notification's, seconds after the first) overwrites, so
     * the status at the end alone made the first runs look seconds shorter than they were.
     */
    final Map<String, OffsetDateTime> firstAttempts = new HashMap<>();

    void saw(JsonNode status) {
      for (JsonNode c : status.path("connections")) {
        JsonNode attempt = c.path("last_attempt_at");
        if (attempt.isString()) {
          firstAttempts.merge(
              c.path("connection_id").asString(),
              OffsetDateTime.parse(attempt.asString()),
              (a, b) -> a.isBefore(b) ? a : b);
        }
      }
    }
  }

  @Test
  void initialSyncAgainstTheCeilingsOfItsStages() throws Exception {
    int accounts = scaled(10, 1);
    int events = scaled(10_000, 500);
    long total = (long) accounts * events;
    List<String> emails = seededAccounts(accounts, events);
    // once before the pipeline (warming the emulator as the sync will), once after; the faster
    // counts
    PagingCeiling.Result pagingBefore = PagingCeiling.measure(emails);
    assertThat(pagingBefore.events()).isEqualTo(total);

    String bootstrap = SystemStack.stack().kafkaBootstrapServers();
    Map<TopicPartition, Long> offsets = KafkaCeiling.endOffsets(bootstrap);
    Pass pipeline = connectAll(emails, events, total, true);
    List<Subject> subjects = pipeline.subjects();
    Progress progress = pipeline.progress();
    long start = pipeline.start();
    long connected = pipeline.connected();

    PagingCeiling.Result pagingAfter = PagingCeiling.measure(emails);
    PagingCeiling.Result paging =
        pagingAfter.perSecond() > pagingBefore.perSecond() ? pagingAfter : pagingBefore;

    Set<String> keys = new HashSet<>();
    subjects.forEach(s -> keys.add(s.connection().toString()));
    List<ProducerRecord<String, String>> sample =
        KafkaCeiling.sample(bootstrap, offsets, keys, KAFKA_SAMPLE);
    assertThat(sample).isNotEmpty();
    // a short unreported round first, so no codec pays for the connections and the JIT
    KafkaCeiling.measure(bootstrap, sample, Math.min(total, 1_000), "none");
    List<KafkaCeiling.Result> kafka = new ArrayList<>();
    for (String codec : List.of(KafkaCeiling.COMPRESSION, "none", "zstd")) {
      kafka.add(KafkaCeiling.measure(bootstrap, sample, total, codec));
    }
    KafkaCeiling.Result kafkaService = kafka.get(0);
    List<PostgresCeiling.Row> rows =
        PostgresCeiling.rowsOf(subjects.stream().map(Subject::connection).toList());
    PostgresCeiling.Rates postgres = PostgresCeiling.measure(rows);

    // Sync alone: the same work for as many other accounts with both query services stopped, so
    // that no read-model ingest competes with sync-service, Kafka and the emulator for the cores
    // (during the pipeline it does, and sync-service waited on a starved emulator). The query
    // services start again after it and take in what it published.
    List<String> aloneEmails = seededAccounts(accounts, events);
    LocalStack stack = SystemStack.stack();
    List<String> queryServices = stack.instancesOf("events-query-service");
    queryServices.forEach(stack::stop);
    Pass alone;
    try {
      alone = connectAll(aloneEmails, events, total, false);
    } finally {
      for (String instance : queryServices) {
        stack.restart(instance);
      }
    }
    double aloneRunSpan = runSpanSeconds(alone.progress());
    double aloneWallSeconds = (alone.progress().syncedAt - alone.start()) / 1e9;
    double aloneRate = total / aloneRunSpan;

    double pipelineSeconds = (progress.queryableAt - start) / 1e9;
    double syncWallSeconds = (progress.syncedAt - start) / 1e9;
    double runSpan = runSpanSeconds(progress);
    double pipelineRate = total / pipelineSeconds;
    double syncRate = aloneRate;
    Map<String, Double> ceilings =
        Map.of(
            "emulator paging", paging.perSecond(),
            "Kafka", kafkaService.perSecond(),
            "PostgreSQL batch upserts", postgres.batched());
    String slowest =
        ceilings.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
    double slowestCeiling = ceilings.get(slowest);
    Table table =
        Table.of("stage", "events", "seconds", "events/s", "note")
            .row(
                "pipeline: callback → every event a read-model row",
                total,
                figure(pipelineSeconds),
                figure(pipelineRate),
                "includes the connect flow and events-query-service's ingest")
            .row(
                "sync alone (query services stopped): sync-service's runs (status API)",
                total,
                figure(aloneRunSpan),
                figure(aloneRate),
                "first run's start (as the status polls saw it, every 250 ms) → last calendar's"
                    + " success, as the status API reports them; "
                    + accounts
                    + " other accounts of as many events")
            .row(
                "sync alone, wall: callback → every calendar idle",
                total,
                figure(aloneWallSeconds),
                figure(total / aloneWallSeconds),
                "includes the connect flow ("
                    + figure((alone.connected() - alone.start()) / 1e9)
                    + " s for all callbacks) and status polling (250 ms)")
            .row(
                "sync during the pipeline: sync-service's runs (status API)",
                total,
                figure(runSpan),
                figure(total / runSpan),
                "first run's start (as the status polls saw it, every 250 ms) → last calendar's"
                    + " success, as the status API reports them")
            .row(
                "sync during the pipeline, wall: callback → every calendar idle",
                total,
                figure(syncWallSeconds),
                figure(total / syncWallSeconds),
                "includes the connect flow ("
                    + figure((connected - start) / 1e9)
                    + " s for all callbacks) and status polling (250 ms)")
            .row(
                "ceiling (a): emulator paging alone",
                paging.events(),
                figure(paging.elapsed().toNanos() / 1e9),
                figure(paging.perSecond()),
                paging.pages()
                    + " pages of ≤ "
                    + PagingCeiling.PAGE_SIZE
                    + ", "
                    + Math.min(accounts, PagingCeiling.CONCURRENCY)
                    + " calendars at a time; faster of before ("
                    + figure(pagingBefore.perSecond())
                    + "/s) and after ("
                    + figure(pagingAfter.perSecond())
                    + "/s) the pipeline");
    for (KafkaCeiling.Result k : kafka) {
      table.row(
          "ceiling (b): Kafka produce+consume, compression " + k.compression(),
          k.messages(),
          figure(k.elapsed().toNanos() / 1e9),
          figure(k.perSecond()),
          (k == kafkaService ? "sync-service's settings; " : "for comparison; ")
              + String.format(
                  Locale.ROOT, "%.0f B per message value", (double) k.valueBytes() / k.messages()));
    }
    table
        .row(
            "ceiling (c): PostgreSQL, " + PostgresCeiling.BATCH + " rows per statement",
            rows.size(),
            figure(rows.size() / postgres.batched()),
            figure(postgres.batched()),
            "the same rows read back from the read model, into a scratch copy of its table")
        .row(
            "for comparison: PostgreSQL, one row per statement",
            rows.size(),
            figure(rows.size() / postgres.oneRowPerStatement()),
            figure(postgres.oneRowPerStatement()),
            "what a per-record consumer can reach at most");
    BenchmarkReport.section(
        "Initial sync",
        accounts
            + " emulator accounts × "
            + events
            + " events (seeded over 60 days), connected through the gateway one after another;"
            + " the same run measures each stage alone.",
        table,
        String.format(
            Locale.ROOT,
            "Pipeline: **%s events/s**, %.0f %% of the slowest stage measured here (%s, %s/s)."
                + " Sync alone: **%s events/s**, %.0f %% of the emulator's paging ceiling (target"
                + " ≥ 70 %%).",
            figure(pipelineRate),
            100 * pipelineRate / slowestCeiling,
            slowest,
            figure(slowestCeiling),
            figure(syncRate),
            100 * syncRate / paging.perSecond()),
        "After sync-service was done in the pipeline, events-query-service's ingest had every row "
            + "in the read model "
            + figure(pipelineSeconds - syncWallSeconds)
            + " s later. Kafka's settings: acks=all, idempotence, linger.ms "
            + KafkaCeiling.LINGER_MS
            + ", batch.size "
            + KafkaCeiling.BATCH_SIZE / 1024
            + " KiB, "
            + KafkaCeiling.PARTITIONS
            + " partitions, one producer and one consumer; messages replayed from "
            + sample.size()
            + " of this run's records.");
  }

  /** {@code accounts} new emulator accounts, each seeded with {@code events} over 60 days. */
  private static List<String> seededAccounts(int accounts, int events) throws Exception {
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      emails.add(seededAccount("bench-sync", events, 60));
    }
    return emails;
  }

  /** One pass: when its first callback began and its last ended, and what the polls saw. */
  private record Pass(List<Subject> subjects, long start, long connected, Progress progress) {}

  /**
   * Connects each account for a new user through the gateway, one after another, then polls until
   * every calendar is synced and, with {@code rowsToo}, every event is a read-model row.
   */
  private static Pass connectAll(List<String> emails, int events, long total, boolean rowsToo)
      throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < emails.size(); i++) {
      tokens.add(userToken("bench-sync-" + UUID.randomUUID()));
    }
    long start = System.nanoTime();
    List<Subject> subjects = new ArrayList<>();
    for (int i = 0; i < emails.size(); i++) {
      String connection = connectWithoutWaiting(tokens.get(i), emails.get(i));
      subjects.add(new Subject(tokens.get(i), UUID.fromString(connection)));
    }
    long connected = System.nanoTime();
    Progress progress = new Progress();
    await()
        .atMost(Duration.ofSeconds(Math.max(600, total / 50)))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> reached(subjects, events, total, progress, rowsToo));
    return new Pass(subjects, start, connected, progress);
  }

  /**
   * Records when sync was done and (with {@code rowsToo}) when every event was queryable; true once
   * both are.
   */
  private static boolean reached(
      List<Subject> subjects, int events, long total, Progress progress, boolean rowsToo)
      throws Exception {
    if (progress.syncedAt == 0) {
      List<JsonNode> statuses = new ArrayList<>();
      boolean synced = true;
      for (Subject s : subjects) {
        JsonNode status = json(get(gateway("/api/calendar/sync/status/"), s.userToken()));
        progress.saw(status);
        statuses.add(status);
        synced &= synced(status, s.connection(), events);
      }
      if (synced) {
        progress.syncedAt = System.nanoTime();
        progress.statusWhenSynced.addAll(statuses);
      }
    }
    if (rowsToo && progress.queryableAt == 0 && rows(subjects) >= total) {
      progress.queryableAt = System.nanoTime();
    }
    return progress.syncedAt != 0 && (!rowsToo || progress.queryableAt != 0);
  }

  /** The connection idle, and each of its calendars idle after a success with every event. */
  private static boolean synced(JsonNode status, UUID connection, int events) {
    for (JsonNode c : status.path("connections")) {
      if (connection.toString().equals(c.path("connection_id").asString())) {
        if (!"idle".equals(c.path("state").asString()) || c.path("calendars").isEmpty()) {
          return false;
        }
        for (JsonNode cal : c.path("calendars")) {
          if (!"idle".equals(cal.path("state").asString())
              || cal.path("last_success_at").isNull()
              || cal.path("event_count").asLong() != events) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  /**
   * From the earliest run start the polls saw to the latest calendar success, as the status API
   * says them.
   */
  private static double runSpanSeconds(Progress progress) {
    OffsetDateTime first =
        progress.firstAttempts.values().stream().min(OffsetDateTime::compareTo).orElseThrow();
    OffsetDateTime last = null;
    for (JsonNode status : progress.statusWhenSynced) {
      for (JsonNode c : status.path("connections")) {
        for (JsonNode cal : c.path("calendars")) {
          OffsetDateTime success = OffsetDateTime.parse(cal.path("last_success_at").asString());
          last = last == null || success.isAfter(last) ? success : last;
        }
      }
    }
    return Duration.between(first, last).toNanos() / 1e9;
  }

  private static long rows(List<Subject> subjects) throws SQLException {
    try (var db = FaultSuite.readModel();
        var select =
            db.prepareStatement(
                "select count(*) from events where connection_id = any(?) and not deleted")) {
      select.setArray(
          1,
          db.createArrayOf(
              "uuid", subjects.stream().map(Subject::connection).toArray(UUID[]::new)));
      try (var row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
