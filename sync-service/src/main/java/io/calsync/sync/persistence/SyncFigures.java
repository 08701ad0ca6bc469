package io.calsync.sync.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Database-wide figures for the sync-service gauges: one aggregate query each. */
@Repository
public class SyncFigures {

  /**
   * How fresh the synced calendars are: {@code within[i]} calendars last synced at most {@code
   * thresholds[i]} ago, of {@code total}; {@code oldest} the oldest last success (null when there
   * is no calendar). A calendar never synced counts from when it was found.
   */
  public record Freshness(long[] within, long total, Instant oldest) {}

  private final DatabaseClient db;

  SyncFigures(DatabaseClient db) {
    this.db = db;
  }

  /** Connections by sync state (idle, queued, syncing, error, reauth_required). */
  public Mono<Map<String, Long>> connectionsByState() {
    return db.sql("select state, count(*) as n from connection_sync_state group by state")
        .map(r -> Map.entry(r.get("state", String.class), r.get("n", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
  }

  /** Push channels active and not expired at {@code now}. */
  public Mono<Long> activeWatchChannels(Instant now) {
    return db.sql("select count(*) as n from watch_channels where active and expires_at > :now")
        .bind("now", now)
        .map(r -> r.get("n", Long.class))
        .one();
  }

  /** The selected calendars of active connections, by the age of their last successful sync. */
  public Mono<Freshness> freshness(Instant now, List<Duration> thresholds) {
    StringBuilder counts = new StringBuilder();
    for (int i = 0; i < thresholds.size(); i++) {
      counts.append("count(*) filter (where synced >= :t").append(i).append(") as w").append(i);
      counts.append(", ");
    }
    var spec =
        db.sql(
            """
            select %s count(*) as total, min(synced) as oldest
            from (select coalesce(s.last_success_at, c.created_at) as synced
                  from calendars c
                  join connections k on k.id = c.connection_id
                  left join calendar_sync_state s on s.calendar_id = c.id
                  where k.status = 'active' and c.selected and not c.removed) f
            """
                .formatted(counts));
    for (int i = 0; i < thresholds.size(); i++) {
      spec = spec.bind("t" + i, now.minus(thresholds.get(i)));
    }
    return spec.map(
            r -> {
              long[] within = new long[thresholds.size()];
              for (int i = 0; i < within.length; i++) {
                within[i] = r.get("w" + i, Long.class);
              }
              OffsetDateTime oldest = r.get("oldest", OffsetDateTime.class);
              return new Freshness(
                  within, r.get("total", Long.class), oldest == null ? null : oldest.toInstant());
            })
        .one();
  }
}
