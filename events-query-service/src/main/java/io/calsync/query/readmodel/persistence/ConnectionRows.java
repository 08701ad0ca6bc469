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
   * Waits for and holds, until the transaction ends, the locks of these connections, in the order
   * of their lock keys (so two transactions never wait for each other in a cycle): every batch that
   * writes a connection's rows (connection, calendars, events) takes its lock first, so reading
   * rows, deciding and writing them back is never interleaved with another batch about the same
   * connection. PostgreSQL evaluates a volatile function of the select list after the sort.
   */
  Mono<Void> lock(Collection<UUID> connectionIds) {
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
