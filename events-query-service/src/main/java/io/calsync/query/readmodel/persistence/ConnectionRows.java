package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.ConnectionRow;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code connections}; decides nothing. */
@Repository
class ConnectionRows {

  private final DatabaseClient db;

  ConnectionRows(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Waits for and holds, until the transaction ends, the connection's lock: every message about a
   * connection's rows (connection, calendars, events) takes it first, so reading rows, deciding and
   * writing them back is never interleaved with another message about the same connection.
   */
  Mono<Void> lock(UUID connectionId) {
    return db.sql("select 1 from pg_advisory_xact_lock(hashtext(:id))")
        .bind("id", connectionId.toString())
        .fetch()
        .rowsUpdated()
        .then();
  }

  Mono<ConnectionRow> find(UUID id) {
    return db.sql(
            "select id, user_id, status, status_at, disconnected_at from connections where id = :id")
        .bind("id", id)
        .map(
            row ->
                new ConnectionRow(
                    row.get("id", UUID.class),
                    row.get("user_id", String.class),
                    row.get("status", String.class),
                    row.get("status_at", OffsetDateTime.class),
                    row.get("disconnected_at", OffsetDateTime.class)))
        .one();
  }

  Mono<Void> put(ConnectionRow row) {
    var spec =
        db.sql(
                """
            insert into connections (id, user_id, status, status_at, disconnected_at)
            values (:id, :user, :status, :at, :disconnectedAt)
            on conflict (id) do update set user_id = excluded.user_id, status = excluded.status,
                                           status_at = excluded.status_at,
                                           disconnected_at = excluded.disconnected_at
            """)
            .bind("id", row.id())
            .bind("user", row.userId())
            .bind("status", row.status())
            .bind("at", row.statusAt());
    return Binding.bind(spec, "disconnectedAt", row.disconnectedAt(), OffsetDateTime.class)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
