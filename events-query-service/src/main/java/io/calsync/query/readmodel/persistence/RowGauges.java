package io.calsync.query.readmodel.persistence;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code calsync_query_rows{table}}: the read model's size, PostgreSQL's estimate of live rows
 * ({@code pg_stat_user_tables.n_live_tup}, no table scan). Every instance reports the same values
 * (dashboards take their {@code max}); a failed read keeps the last ones.
 */
@Component
class RowGauges {

  private static final Logger log = LoggerFactory.getLogger(RowGauges.class);

  static final List<String> TABLES = List.of("connections", "calendars", "events", "occurrences");

  private final DatabaseClient db;
  private final Map<String, AtomicLong> rows = new LinkedHashMap<>();

  RowGauges(DatabaseClient db, MeterRegistry meters) {
    this.db = db;
    for (String table : TABLES) {
      AtomicLong count = new AtomicLong();
      rows.put(table, count);
      Gauge.builder("calsync.query.rows", count, AtomicLong::get)
          .description("Live rows of a read-model table (PostgreSQL's estimate)")
          .tag("table", table)
          .register(meters);
    }
  }

  /** Reads the estimates again. */
  @Scheduled(initialDelay = 0, fixedDelayString = "${calsync.metrics.stored-state-interval:15s}")
  Mono<Void> refresh() {
    return db.sql(
            """
            select relname, n_live_tup from pg_stat_user_tables
            where schemaname = current_schema() and relname in (:tables)
            """)
        .bind("tables", TABLES)
        .map(r -> Map.entry(r.get("relname", String.class), r.get("n_live_tup", Long.class)))
        .all()
        .doOnNext(found -> rows.get(found.getKey()).set(found.getValue()))
        .onErrorResume(
            e -> {
              log.warn("Gauges not refreshed, keeping the last values: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
