package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.ConnectionRow;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code connections}, many per statement; decides nothing. */
@Repository
class ConnectionRows {

  private final DatabaseClient db;

  ConnectionRows(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Hash joins, merge joins and sequential scans off for the calling transaction only (decision 9).
   * Left to its estimates, PostgreSQL hashed the whole {@code events} or {@code occurrences} table
   * for every batch (a {@code unnest} of several arrays joined on three columns is guessed at one
   * row), and on a table whose statistics lag its growth (a fresh database, a new big calendar) it
   * scanned the table once per key. With these off, and every look-up written as a lateral subquery
   * per key, each key is one index probe whatever the statistics say.
   */
  static final String KEY_LOOKUP_PLANS =
      "select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),"
          + " set_config('enable_seqscan', 'off', true)";

  /**
   * Waits for and holds, until the transaction ends, the locks of these connections, in the order
   * of their lock keys (so two transactions never wait for each other in a cycle): every batch that
   * writes a connection's rows (connection, calendars, events) takes its lock first, so reading
   * rows, deciding and writing them back is never interleaved with another batch about the same
   * connection. PostgreSQL evaluates a volatile function of the select list after the sort.
   *
   * <p>It also plans the rest of the transaction for what its statements are: look-ups by key of a
   * batch's few hundred rows ({@link #KEY_LOOKUP_PLANS}).
   */
  Mono<Void> lock(Collection<UUID> connectionIds) {
    return db.sql(KEY_LOOKUP_PLANS).fetch().rowsUpdated().then(lockOnly(connectionIds));
  }

  private Mono<Void> lockOnly(Collection<UUID> connectionIds) {
    return db.sql(
            """
            select pg_advisory_xact_lock(k)
              from (select distinct hashtext(id) as k from unnest(cast(:ids as text[])) as id) keys
             order by k
            """)
        .bind("ids", connectionIds.stream().map(UUID::toString).toArray(String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  Flux<ConnectionRow> find(Collection<UUID> ids) {
    return db.sql(
            """
            select id, user_id, status, status_at, disconnected_at from connections
             where id = any(cast(:ids as uuid[]))
            """)
        .bind("ids", ids.stream().map(UUID::toString).toArray(String[]::new))
        .map(
            row ->
                new ConnectionRow(
                    row.get("id", UUID.class),
                    row.get("user_id", String.class),
                    row.get("status", String.class),
                    row.get("status_at", OffsetDateTime.class),
                    row.get("disconnected_at", OffsetDateTime.class)))
        .all();
  }

  Mono<Void> put(List<ConnectionRow> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            """
            insert into connections (id, user_id, status, status_at, disconnected_at)
            select id, user_id, status, status_at, disconnected_at
              from jsonb_to_recordset(cast(:rows as jsonb))
                as r(id uuid, user_id text, status text, status_at timestamptz, disconnected_at timestamptz)
            on conflict (id) do update set user_id = excluded.user_id, status = excluded.status,
                                           status_at = excluded.status_at,
                                           disconnected_at = excluded.disconnected_at
            """)
        .bind(
            "rows",
            JsonRows.of(
                rows,
                (row, r) ->
                    r.put("id", row.id())
                        .put("user_id", row.userId())
                        .put("status", row.status())
                        .put("status_at", row.statusAt())
                        .put("disconnected_at", row.disconnectedAt())))
        .fetch()
        .rowsUpdated()
        .then();
  }
}
