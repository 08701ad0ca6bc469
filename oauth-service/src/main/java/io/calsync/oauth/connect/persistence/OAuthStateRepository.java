package io.calsync.oauth.connect.persistence;

import io.calsync.oauth.connect.domain.OAuthState;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** One-time OAuth states. */
@Repository
public class OAuthStateRepository {

  private final DatabaseClient db;

  public OAuthStateRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(OAuthState state) {
    DatabaseClient.GenericExecuteSpec spec =
        db.sql(
                """
                insert into oauth_states
                    (state_hash, browser_binding_hash, user_id, code_verifier, return_to, created_at, expires_at)
                values (:hash, :binding, :userId, :verifier, :returnTo, :createdAt, :expiresAt)
                """)
            .bind("hash", state.stateHash())
            .bind("binding", state.browserBindingHash())
            .bind("userId", state.userId())
            .bind("verifier", state.codeVerifier())
            .bind("createdAt", utc(state.createdAt()))
            .bind("expiresAt", utc(state.expiresAt()));
    spec = state.returnTo() == null ? spec.bindNull("returnTo", String.class) : spec.bind("returnTo", state.returnTo());
    return spec.fetch().rowsUpdated().then();
  }

  /**
   * Marks the state used and returns it, in one statement, only when it exists, is unused and has
   * not expired; empty otherwise. Two callbacks racing for one state cannot both win.
   */
  public Mono<OAuthState> consume(String stateHash, Instant now) {
    return db.sql(
            """
            update oauth_states set used_at = :now
            where state_hash = :hash and used_at is null and expires_at > :now
            returning state_hash, browser_binding_hash, user_id, code_verifier, return_to, created_at, expires_at
            """)
        .bind("now", utc(now))
        .bind("hash", stateHash)
        .map(OAuthStateRepository::map)
        .one();
  }

  /** Removes states that expired before {@code cutoff}; they can never be used again. */
  public Mono<Long> deleteExpiredBefore(Instant cutoff) {
    return db.sql("delete from oauth_states where expires_at < :cutoff")
        .bind("cutoff", utc(cutoff))
        .fetch()
        .rowsUpdated();
  }

  private static OAuthState map(Readable row) {
    return new OAuthState(
        row.get("state_hash", String.class),
        row.get("browser_binding_hash", String.class),
        row.get("user_id", String.class),
        row.get("code_verifier", String.class),
        row.get("return_to", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("expires_at", OffsetDateTime.class).toInstant());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
