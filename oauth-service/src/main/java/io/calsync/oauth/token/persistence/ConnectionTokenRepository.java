package io.calsync.oauth.token.persistence;

import io.calsync.oauth.token.domain.AadFormat;
import io.calsync.oauth.token.domain.SealedToken;
import io.calsync.oauth.token.domain.StoredTokens;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Token ciphertexts in PostgreSQL. Plaintext tokens never reach this class. */
@Repository
public class ConnectionTokenRepository {

  private static final String COLUMNS =
      "connection_id, access_token_ciphertext, access_key_version, access_aad_format, access_expires_at,"
          + " refresh_token_ciphertext, refresh_key_version, refresh_aad_format";

  private final DatabaseClient db;

  public ConnectionTokenRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Stores a new access token and, when given, a new refresh token. A null {@code refresh} keeps the
   * stored one: Google often answers without a refresh token, and that must never erase ours.
   */
  public Mono<Void> save(
      UUID connectionId, SealedToken access, Instant accessExpiresAt, SealedToken refresh, Instant now) {
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
                    updated_at = excluded.updated_at
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

  /** Locks the token row until the surrounding transaction ends: one refresh per connection at a time. */
  public Mono<StoredTokens> lock(UUID connectionId) {
    return db.sql("select " + COLUMNS + " from connection_tokens where connection_id = :id for update")
        .bind("id", connectionId)
        .map(ConnectionTokenRepository::map)
        .one();
  }

  public Mono<Void> delete(UUID connectionId) {
    return db.sql("delete from connection_tokens where connection_id = :id")
        .bind("id", connectionId)
        .fetch()
        .rowsUpdated()
        .then();
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
