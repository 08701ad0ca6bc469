package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.persistence.OccurrenceGroups.GroupKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The horizon job: at startup and on {@code calsync.query.occurrences.schedule}, re-expands every
 * series whose materialized instances end before a query could ask for more (now plus 366 days), up
 * to now plus the horizon, and drops occurrences that ended before the horizon's start. Series
 * written before V4 wait with an expansion end of minus infinity, so the first run materializes
 * them. Each connection's series are redone in transactions holding that connection's lock, the
 * lock every write of the read model takes, and only while they are still due: two instances
 * running the job at once redo nothing twice, and a concurrent message never interleaves. Reactive
 * all the way (the scheduler only subscribes).
 */
@Component
class OccurrenceHorizon {

  private static final Logger log = LoggerFactory.getLogger(OccurrenceHorizon.class);
  private static final int CHUNK = 500;

  private final DatabaseClient db;
  private final ConnectionRows connections;
  private final Occurrences occurrences;
  private final TransactionalOperator tx;
  private final Clock clock;

  OccurrenceHorizon(
      DatabaseClient db,
      ConnectionRows connections,
      Occurrences occurrences,
      ReactiveTransactionManager transactionManager,
      Clock clock) {
    this.db = db;
    this.connections = connections;
    this.occurrences = occurrences;
    this.tx = TransactionalOperator.create(transactionManager);
    this.clock = clock;
  }

  @Scheduled(initialDelayString = "${calsync.query.occurrences.startup-delay:5s}")
  @Scheduled(cron = "${calsync.query.occurrences.schedule:0 17 3 * * *}", zone = "UTC")
  Mono<Void> scheduled() {
    return run()
        .onErrorResume(
            e -> {
              log.warn("The occurrence horizon job failed; the next run tries again", e);
              return Mono.empty();
            });
  }

  /** Prunes ended occurrences, then extends every due series; completes when all are done. */
  Mono<Void> run() {
    Instant now = clock.instant();
    OffsetDateTime target = now.plus(OccurrenceProperties.REACH).atOffset(ZoneOffset.UTC);
    return db.sql("delete from occurrences where end_key < :cut")
        .bind("cut", now.minus(Occurrences.MARGIN).atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .thenMany(
            db.sql(
                    "select distinct connection_id from occurrence_series where expanded_until < :target")
                .bind("target", target)
                .map(row -> row.get(0, UUID.class))
                .all())
        .concatMap(connection -> extend(connection, target, new GroupKey(connection, null, "")))
        .reduce(0, Integer::sum)
        .doOnNext(
            n -> {
              if (n > 0) {
                log.info("Extended the occurrences of {} series", n);
              }
            })
        .then();
  }

  /** The connection's due series after {@code after}, a chunk per transaction, each redone once. */
  private Mono<Integer> extend(UUID connection, OffsetDateTime target, GroupKey after) {
    Mono<List<GroupKey>> chunk =
        connections
            .lock(List.of(connection))
            .thenMany(due(connection, target, after))
            .collectList()
            .flatMap(keys -> occurrences.recompute(keys).thenReturn(keys));
    return tx.transactional(chunk)
        .flatMap(
            keys ->
                keys.size() < CHUNK
                    ? Mono.just(keys.size())
                    : extend(connection, target, keys.get(keys.size() - 1))
                        .map(n -> n + keys.size()));
  }

  private Flux<GroupKey> due(UUID connection, OffsetDateTime target, GroupKey after) {
    var spec =
        db.sql(
                """
                select calendar_id, series_id from occurrence_series
                 where connection_id = :c and expanded_until < :target
                   and (:afterCal::uuid is null or (calendar_id, series_id) > (:afterCal::uuid, :afterId))
                 order by calendar_id, series_id
                 limit :limit
                """)
            .bind("c", connection)
            .bind("target", target)
            .bind("afterId", after.groupId())
            .bind("limit", CHUNK);
    spec =
        after.calendarId() == null
            ? spec.bindNull("afterCal", UUID.class)
            : spec.bind("afterCal", after.calendarId());
    return spec.map(
            row ->
                new GroupKey(
                    connection,
                    row.get("calendar_id", UUID.class),
                    row.get("series_id", String.class)))
        .all();
  }
}
