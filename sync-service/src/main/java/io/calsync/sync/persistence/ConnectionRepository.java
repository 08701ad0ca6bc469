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

  /**
   * Inserts or updates the connection and makes sure its sync-state row exists, in one statement:
   * no reader ever sees the connection without its sync-state row (a "sync now" in between was told
   * the connection needs re-consent).
   */
  public Mono<Void> upsert(
      UUID id, String userId, String accountEmail, String status, Instant now) {
    String state = Connection.REAUTH_REQUIRED.equals(status) ? "reauth_required" : "idle";
    var spec =
        db.sql(
                """
                with connection as (
                  insert into connections (id, user_id, account_email, status, created_at, updated_at)
                  values (:id, :user, :email, :status, :now, :now)
                  on conflict (id) do update set user_id = excluded.user_id,
                    account_email = coalesce(excluded.account_email, connections.account_email),
                    status = excluded.status, updated_at = excluded.updated_at,
                    version = connections.version + 1
                  returning id
                )
                insert into connection_sync_state (connection_id, state)
                select id, :state from connection
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
            .bind("user", userId)
            .bind("status", status)
            .bind("now", now)
            .bind("state", state);
    spec =
        accountEmail == null
            ? spec.bindNull("email", String.class)
            : spec.bind("email", accountEmail);
    return spec.fetch().rowsUpdated().then();
  }

  /**
   * A connection learned from oauth-service before its {@code connection.connected} arrived:
   * inserted (with its sync-state row) only when it is still unknown here and no {@code
   * connection.disconnected} handled here is as recent as {@code updatedAt} (oauth-service's time
   * of its last status change), so an answer read before a disconnect cannot bring it back. True
   * when it was inserted; a row already here (the Kafka message won the race) is left as it is.
   */
  public Mono<Boolean> insertUnlessForgotten(
      UUID id, String userId, String accountEmail, String status, Instant updatedAt, Instant now) {
    var spec =
        db.sql(
                """
                insert into connections (id, user_id, account_email, status, created_at, updated_at)
                select :id, :user, :email, :status, :now, :now
                where not exists (select 1 from connection_tombstones
                                  where connection_id = :id and disconnected_at >= :updated)
                on conflict (id) do nothing
                """)
            .bind("id", id)
            .bind("user", userId)
            .bind("status", status)
            .bind("updated", updatedAt)
            .bind("now", now);
    spec =
        accountEmail == null
            ? spec.bindNull("email", String.class)
            : spec.bind("email", accountEmail);
    return spec.fetch()
        .rowsUpdated()
        .flatMap(
            inserted ->
                inserted == 0
                    ? Mono.just(false)
                    : upsert(id, userId, accountEmail, status, now).thenReturn(true));
  }

  /**
   * Remembers that the connection's {@code connection.disconnected} was handled ({@code
   * disconnectedAt} = its {@code occurred_at}), and forgets tombstones older than {@code
   * pruneBefore}: a look-up at oauth-service is seconds old at most.
   */
  public Mono<Void> tombstone(UUID id, Instant disconnectedAt, Instant pruneBefore) {
    return db.sql(
            """
            insert into connection_tombstones (connection_id, disconnected_at) values (:id, :at)
            on conflict (connection_id) do update set disconnected_at =
              greatest(connection_tombstones.disconnected_at, excluded.disconnected_at)
            """)
        .bind("id", id)
        .bind("at", disconnectedAt)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql("delete from connection_tombstones where disconnected_at < :before")
                .bind("before", pruneBefore)
                .fetch()
                .rowsUpdated())
        .then();
  }

  /**
   * Marks a known connection reauth_required (a run met oauth-service's 409), as {@code
   * connection.reauth_required} will; a later {@code connection.connected} makes it active again.
   * Only when its row is still at {@code seenVersion} (read when the run started): a reconnect
   * consumed meanwhile wins. True when it was marked.
   */
  public Mono<Boolean> markReauthRequired(UUID id, long seenVersion, Instant now) {
    return db.sql(
            """
            update connections set status = 'reauth_required', updated_at = :now,
              version = version + 1
            where id = :id and version = :seen
            """)
        .bind("id", id)
        .bind("seen", seenVersion)
        .bind("now", now)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  /** The version of the connection's row (bumped by every write); empty when unknown. */
  public Mono<Long> version(UUID id) {
    return db.sql("select version from connections where id = :id")
        .bind("id", id)
        .map(r -> r.get("version", Long.class))
        .one();
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
