package io.calsync.oauth.persistence;

import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.domain.ConnectionSummary;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Connections in PostgreSQL. Joins the caller's reactive transaction when there is one. */
@Repository
public class ConnectionRepository {

  private static final String COLUMNS =
      "id, user_id, provider, google_sub, account_email, status, scopes, created_at, updated_at";

  private final DatabaseClient db;

  public ConnectionRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Inserts the connection, or, when the user already has a live connection to this Google account,
   * updates it (e-mail, scopes, status back to active) and keeps its id. Atomic against a
   * concurrent callback for the same account thanks to the partial unique index.
   */
  public Mono<Connection> upsertActive(
      UUID newId,
      String userId,
      String googleSub,
      String accountEmail,
      List<String> scopes,
      Instant now) {
    return db.sql(
            """
            insert into connections (id, user_id, provider, google_sub, account_email, status, scopes, created_at, updated_at)
            values (:id, :userId, :provider, :sub, :email, 'active', :scopes, :now, :now)
            on conflict (user_id, google_sub) where status <> 'disconnected'
            do update set account_email = excluded.account_email,
                          status = 'active',
                          status_reason = null,
                          scopes = excluded.scopes,
                          updated_at = excluded.updated_at
            returning """
                + " "
                + COLUMNS)
        .bind("id", newId)
        .bind("userId", userId)
        .bind("provider", Connection.GOOGLE)
        .bind("sub", googleSub)
        .bind("email", accountEmail)
        .bind("scopes", scopes.toArray(String[]::new))
        .bind("now", utc(now))
        .map(ConnectionRepository::map)
        .one();
  }

  /** The user's connections that are not disconnected, oldest first. */
  public Flux<Connection> findLiveByUser(String userId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from connections where user_id = :userId and status <> 'disconnected'"
                + " order by created_at, id")
        .bind("userId", userId)
        .map(ConnectionRepository::map)
        .all();
  }

  /** A connection by id, whatever its status. */
  public Mono<Connection> findById(UUID id) {
    return db.sql("select " + COLUMNS + " from connections where id = :id")
        .bind("id", id)
        .map(ConnectionRepository::map)
        .one();
  }

  /** Locks the user's live connection row until the surrounding transaction ends. */
  public Mono<Connection> lockLive(UUID id, String userId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from connections where id = :id and user_id = :userId and status <> 'disconnected'"
                + " for update")
        .bind("id", id)
        .bind("userId", userId)
        .map(ConnectionRepository::map)
        .one();
  }

  /** Locks a connection row until the surrounding transaction ends. */
  public Mono<Connection> lock(UUID id) {
    return db.sql("select " + COLUMNS + " from connections where id = :id for update")
        .bind("id", id)
        .map(ConnectionRepository::map)
        .one();
  }

  /** How many connections are in each status; a status without one is missing. */
  public Mono<Map<ConnectionStatus, Long>> countByStatus() {
    return db.sql("select status, count(*) as n from connections group by status")
        .map(
            row ->
                Map.entry(
                    ConnectionStatus.fromDbValue(row.get("status", String.class)),
                    row.get("n", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /** The most recently updated connections, in {@code status} when given, at most {@code limit}. */
  public Flux<ConnectionSummary> findRecent(ConnectionStatus status, int limit) {
    String where = status == null ? "" : " where status = :status";
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "select id, user_id, status, status_reason, created_at, updated_at from connections"
                    + where
                    + " order by updated_at desc, id limit :limit")
            .bind("limit", limit);
    if (status != null) {
      spec = spec.bind("status", status.dbValue());
    }
    return spec.map(
            row ->
                new ConnectionSummary(
                    row.get("id", UUID.class),
                    row.get("user_id", String.class),
                    ConnectionStatus.fromDbValue(row.get("status", String.class)),
                    row.get("status_reason", String.class),
                    row.get("created_at", OffsetDateTime.class).toInstant(),
                    row.get("updated_at", OffsetDateTime.class).toInstant()))
        .all();
  }

  /** Sets the status without a reason (active again, or disconnected by the user). */
  public Mono<Void> updateStatus(UUID id, ConnectionStatus status, Instant now) {
    return updateStatus(id, status, null, now);
  }

  /** Sets the status and why it changed ({@code reason} may be null). */
  public Mono<Void> updateStatus(UUID id, ConnectionStatus status, String reason, Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                "update connections set status = :status, status_reason = :reason,"
                    + " updated_at = :now where id = :id")
            .bind("status", status.dbValue())
            .bind("now", utc(now))
            .bind("id", id);
    spec = reason == null ? spec.bindNull("reason", String.class) : spec.bind("reason", reason);
    return spec.fetch().rowsUpdated().then();
  }

  private static Connection map(Readable row) {
    String[] scopes = row.get("scopes", String[].class);
    return new Connection(
        row.get("id", UUID.class),
        row.get("user_id", String.class),
        row.get("provider", String.class),
        row.get("google_sub", String.class),
        row.get("account_email", String.class),
        ConnectionStatus.fromDbValue(row.get("status", String.class)),
        scopes == null ? List.of() : Arrays.asList(scopes),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
