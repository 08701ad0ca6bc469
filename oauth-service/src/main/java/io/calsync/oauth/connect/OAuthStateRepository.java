package io.calsync.oauth.connect;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** One-time OAuth states. */
@Repository
class OAuthStateRepository {

  private final DatabaseClient db;

  OAuthStateRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(OAuthState state) {
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
    spec =
        state.returnTo() == null
            ? spec.bindNull("returnTo", String.class)
            : spec.bind("returnTo", state.returnTo());
    return spec.fetch().rowsUpdated().then();
  }

  /**
   * Marks the state used and returns it, in one statement, only when it exists, is unused and has
   * not expired; empty otherwise. Two callbacks racing for one state cannot both win.
   */
  Mono<OAuthState> consume(String stateHash, Instant now) {
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

  /**
   * Takes the user's transaction-scoped advisory lock: concurrent {@code authorize} calls of one
   * user count and insert their pending states one after the other. Must run inside a transaction;
   * other users are not held up.
   */
  Mono<Void> lockUser(String userId) {
    return db.sql("select pg_advisory_xact_lock(hashtext('oauth_states'), hashtext(:userId))")
        .bind("userId", userId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * The user's states that are unused and not expired at {@code now}: how many, and the first
   * expiry.
   */
  Mono<PendingStates> pending(String userId, Instant now) {
    return db.sql(
            """
            select count(*) as pending, min(expires_at) as first_expiry from oauth_states
            where user_id = :userId and used_at is null and expires_at > :now
            """)
        .bind("userId", userId)
        .bind("now", utc(now))
        .map(
            row -> {
              OffsetDateTime first = row.get("first_expiry", OffsetDateTime.class);
              return new PendingStates(
                  row.get("pending", Long.class), first == null ? null : first.toInstant());
            })
        .one();
  }

  /**
   * @param count unused, unexpired states of a user
   * @param firstExpiry when the first of them expires; null when there are none
   */
  record PendingStates(long count, Instant firstExpiry) {}

  /** Removes states that expired before {@code cutoff}; they can never be used again. */
  Mono<Long> deleteExpiredBefore(Instant cutoff) {
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
