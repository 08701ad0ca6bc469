package io.calsync.sync.persistence;

import io.calsync.sync.model.Connection;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Connections as learned from {@code calendar.connections.v1}, plus their sync-state rows. */
@Repository
public class ConnectionRepository {

  private final DatabaseClient db;

  ConnectionRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Inserts or updates the connection (and makes sure its sync-state row exists). */
  public Mono<Void> upsert(
      UUID id, String userId, String accountEmail, String status, Instant now) {
    var spec =
        db.sql(
                """
                insert into connections (id, user_id, account_email, status, created_at, updated_at)
                values (:id, :user, :email, :status, :now, :now)
                on conflict (id) do update set user_id = excluded.user_id,
                  account_email = coalesce(excluded.account_email, connections.account_email),
                  status = excluded.status, updated_at = excluded.updated_at
                """)
            .bind("id", id)
            .bind("user", userId)
            .bind("status", status)
            .bind("now", now);
    spec =
        accountEmail == null
            ? spec.bindNull("email", String.class)
            : spec.bind("email", accountEmail);
    String state = Connection.REAUTH_REQUIRED.equals(status) ? "reauth_required" : "idle";
    return spec.fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    """
                    insert into connection_sync_state (connection_id, state) values (:id, :state)
                    on conflict (connection_id) do update set state = case
                      when :state = 'reauth_required' then 'reauth_required'
                      when connection_sync_state.state = 'reauth_required' then 'idle'
                      else connection_sync_state.state end,
                      last_error_code = case when :state = 'reauth_required'
                        then 'reauth_required' else connection_sync_state.last_error_code end,
                      last_error_message = case when :state = 'reauth_required'
                        then 'The Google grant is gone; connect the account again.'
                        else connection_sync_state.last_error_message end
                    """)
                .bind("id", id)
                .bind("state", state)
                .fetch()
                .rowsUpdated())
        .then();
  }

  /**
   * Marks a known connection reauth_required (a run met oauth-service's 409), as {@code
   * connection.reauth_required} will; a later {@code connection.connected} makes it active again.
   */
  public Mono<Void> markReauthRequired(UUID id, Instant now) {
    return db.sql(
            "update connections set status = 'reauth_required', updated_at = :now where id = :id")
        .bind("id", id)
        .bind("now", now)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Mono<Connection> find(UUID id) {
    return db.sql("select id, user_id, account_email, status from connections where id = :id")
        .bind("id", id)
        .map(ConnectionRepository::map)
        .one();
  }

  public Mono<Connection> findForUser(UUID id, String userId) {
    return db.sql(
            "select id, user_id, account_email, status from connections where id = :id and user_id = :user")
        .bind("id", id)
        .bind("user", userId)
        .map(ConnectionRepository::map)
        .one();
  }

  public Flux<Connection> findByUser(String userId) {
    return db.sql(
            "select id, user_id, account_email, status from connections where user_id = :user order by created_at, id")
        .bind("user", userId)
        .map(ConnectionRepository::map)
        .all();
  }

  /** Forgets the connection; calendars and sync states go with it (cascade), and its lease. */
  public Mono<Void> delete(UUID id) {
    return db.sql("delete from connections where id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("delete from sync_leases where connection_id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated())
        .then();
  }

  private static Connection map(Readable row) {
    return new Connection(
        row.get("id", UUID.class),
        row.get("user_id", String.class),
        row.get("account_email", String.class),
        row.get("status", String.class));
  }
}
