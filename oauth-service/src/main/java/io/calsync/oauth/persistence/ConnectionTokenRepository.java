package io.calsync.oauth.persistence;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenColumn;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Token ciphertexts in PostgreSQL. Plaintext tokens never reach this class. */
@Repository
public class ConnectionTokenRepository {

  private static final String COLUMNS =
      "connection_id, access_token_ciphertext, access_key_version, access_aad_format, access_expires_at,"
          + " refresh_token_ciphertext, refresh_key_version, refresh_aad_format";

  /** A ciphertext is stale when an older key or the legacy associated data made it. */
  private static final String STALE =
      """
      (access_key_version < :version or access_aad_format < 2
       or (refresh_token_ciphertext is not null
           and (refresh_key_version < :version or coalesce(refresh_aad_format, 1) < 2)))
      """;

  private static final UUID BEFORE_ALL = new UUID(0, 0);

  private final DatabaseClient db;

  public ConnectionTokenRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Stores a new access token and, when given, a new refresh token. A null {@code refresh} keeps
   * the stored one: Google often answers without a refresh token, and that must never erase ours.
   * Clears a refresh claim: a refresh in flight must not overwrite these tokens (see {@link
   * #saveRefreshed}).
   */
  public Mono<Void> save(
      UUID connectionId,
      SealedToken access,
      Instant accessExpiresAt,
      SealedToken refresh,
      Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                """
                insert into connection_tokens (connection_id, access_token_ciphertext, access_key_version,
                    access_aad_format, access_expires_at, refresh_token_ciphertext, refresh_key_version,
                    refresh_aad_format, updated_at)
                values (:id, :access, :accessVersion, :accessFormat, :expiresAt, :refresh, :refreshVersion,
                    :refreshFormat, :now)
                on conflict (connection_id) do update set
                    access_token_ciphertext = excluded.access_token_ciphertext,
                    access_key_version = excluded.access_key_version,
                    access_aad_format = excluded.access_aad_format,
                    access_expires_at = excluded.access_expires_at,
                    refresh_token_ciphertext = coalesce(excluded.refresh_token_ciphertext, connection_tokens.refresh_token_ciphertext),
                    refresh_key_version = coalesce(excluded.refresh_key_version, connection_tokens.refresh_key_version),
                    refresh_aad_format = coalesce(excluded.refresh_aad_format, connection_tokens.refresh_aad_format),
                    updated_at = excluded.updated_at,
                    refresh_claim = null,
                    refresh_claimed_until = null
                """)
            .bind("id", connectionId)
            .bind("access", access.ciphertext())
            .bind("accessVersion", access.keyVersion())
            .bind("accessFormat", access.aadFormat().code())
            .bind("expiresAt", utc(accessExpiresAt))
            .bind("now", utc(now));
    spec =
        refresh == null
            ? spec.bindNull("refresh", String.class)
                .bindNull("refreshVersion", Integer.class)
                .bindNull("refreshFormat", Integer.class)
            : spec.bind("refresh", refresh.ciphertext())
                .bind("refreshVersion", refresh.keyVersion())
                .bind("refreshFormat", refresh.aadFormat().code());
    return spec.fetch().rowsUpdated().then();
  }

  public Mono<StoredTokens> find(UUID connectionId) {
    return db.sql("select " + COLUMNS + " from connection_tokens where connection_id = :id")
        .bind("id", connectionId)
        .map(ConnectionTokenRepository::map)
        .one();
  }

  /**
   * Claims the refresh of the connection's access token for {@code ttl} (by the database's clock,
   * the one clock every instance shares): succeeds when no claim is held or the held one has
   * expired, and only while the connection is active. One atomic statement, no transaction left
   * open. Emits the row as it is now, or nothing when someone else holds the claim (or the
   * connection is not active, or has no tokens).
   */
  public Mono<StoredTokens> claimRefresh(UUID connectionId, UUID claim, Duration ttl) {
    return db.sql(
            """
            update connection_tokens t
               set refresh_claim = :claim,
                   refresh_claimed_until = clock_timestamp() + :ttlMillis * interval '1 millisecond'
             where t.connection_id = :id
               and (t.refresh_claim is null or t.refresh_claimed_until <= clock_timestamp())
               and exists (select 1 from connections c where c.id = t.connection_id and c.status = 'active')
            returning"""
                + " "
                + COLUMNS)
        .bind("claim", claim)
        .bind("ttlMillis", ttl.toMillis())
        .bind("id", connectionId)
        .map(ConnectionTokenRepository::map)
        .one();
  }

  /**
   * Stores a refreshed access token (and, when given, a new refresh token) and releases the claim,
   * only while {@code claim} is still held: answers false, writing nothing, when the claim expired
   * and was taken over, or a reconnect or a disconnect rewrote the row meanwhile.
   */
  public Mono<Boolean> saveRefreshed(
      UUID connectionId,
      UUID claim,
      SealedToken access,
      Instant accessExpiresAt,
      SealedToken refresh,
      Instant now) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                """
                update connection_tokens set
                    access_token_ciphertext = :access,
                    access_key_version = :accessVersion,
                    access_aad_format = :accessFormat,
                    access_expires_at = :expiresAt,
                    refresh_token_ciphertext = coalesce(:refresh, refresh_token_ciphertext),
                    refresh_key_version = coalesce(:refreshVersion, refresh_key_version),
                    refresh_aad_format = coalesce(:refreshFormat, refresh_aad_format),
                    updated_at = :now,
                    refresh_claim = null,
                    refresh_claimed_until = null
                where connection_id = :id and refresh_claim = :claim
                """)
            .bind("id", connectionId)
            .bind("claim", claim)
            .bind("access", access.ciphertext())
            .bind("accessVersion", access.keyVersion())
            .bind("accessFormat", access.aadFormat().code())
            .bind("expiresAt", utc(accessExpiresAt))
            .bind("now", utc(now));
    spec =
        refresh == null
            ? spec.bindNull("refresh", String.class)
                .bindNull("refreshVersion", Integer.class)
                .bindNull("refreshFormat", Integer.class)
            : spec.bind("refresh", refresh.ciphertext())
                .bind("refreshVersion", refresh.keyVersion())
                .bind("refreshFormat", refresh.aadFormat().code());
    return spec.fetch().rowsUpdated().map(updated -> updated > 0);
  }

  /** Releases {@code claim} if it is still held; answers whether it was. */
  public Mono<Boolean> releaseClaim(UUID connectionId, UUID claim) {
    return db.sql(
            """
            update connection_tokens set refresh_claim = null, refresh_claimed_until = null
            where connection_id = :id and refresh_claim = :claim
            """)
        .bind("id", connectionId)
        .bind("claim", claim)
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }

  public Mono<Void> delete(UUID connectionId) {
    return db.sql("delete from connection_tokens where connection_id = :id")
        .bind("id", connectionId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Up to {@code limit} rows, in connection id order after {@code after} (null: from the start),
   * with a ciphertext made by a key version below {@code currentVersion} or bound to the legacy
   * associated data. Reads without locks: the re-encryption that follows is guarded by {@link
   * #replace}.
   */
  public Flux<StoredTokens> findStale(int currentVersion, UUID after, int limit) {
    return db.sql(
            "select "
                + COLUMNS
                + " from connection_tokens where connection_id > :after and "
                + STALE
                + " order by connection_id limit :limit")
        .bind("after", after == null ? BEFORE_ALL : after)
        .bind("version", currentVersion)
        .bind("limit", limit)
        .map(ConnectionTokenRepository::map)
        .all();
  }

  /**
   * How many rows still hold a ciphertext older than {@code currentVersion} or in the legacy
   * format.
   */
  public Mono<Long> countStale(int currentVersion) {
    return db.sql("select count(*) as stale from connection_tokens where " + STALE)
        .bind("version", currentVersion)
        .map(row -> row.get("stale", Long.class))
        .one();
  }

  /**
   * Replaces one ciphertext of a row, only if the column still holds {@code expected}: a refresh or
   * a reconnect that rewrote it meanwhile wins. Answers whether the row was updated. {@code
   * updated_at} is left alone, as the token itself did not change.
   */
  public Mono<Boolean> replace(
      UUID connectionId, TokenColumn column, SealedToken expected, SealedToken replacement) {
    String prefix = column == TokenColumn.ACCESS ? "access" : "refresh";
    return db.sql(
            "update connection_tokens set "
                + prefix
                + "_token_ciphertext = :replacement, "
                + prefix
                + "_key_version = :version, "
                + prefix
                + "_aad_format = :format"
                + " where connection_id = :id and "
                + prefix
                + "_token_ciphertext = :expected")
        .bind("replacement", replacement.ciphertext())
        .bind("version", replacement.keyVersion())
        .bind("format", replacement.aadFormat().code())
        .bind("id", connectionId)
        .bind("expected", expected.ciphertext())
        .fetch()
        .rowsUpdated()
        .map(updated -> updated > 0);
  }

  private static StoredTokens map(Readable row) {
    String refresh = row.get("refresh_token_ciphertext", String.class);
    return new StoredTokens(
        row.get("connection_id", UUID.class),
        new SealedToken(
            row.get("access_token_ciphertext", String.class),
            row.get("access_key_version", Integer.class),
            AadFormat.of(row.get("access_aad_format", Integer.class))),
        row.get("access_expires_at", OffsetDateTime.class).toInstant(),
        refresh == null
            ? null
            : new SealedToken(
                refresh,
                row.get("refresh_key_version", Integer.class),
                AadFormat.of(row.get("refresh_aad_format", Integer.class))));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
