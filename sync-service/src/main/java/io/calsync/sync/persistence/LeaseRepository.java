package io.calsync.sync.persistence;

import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Sync leases: at most one sync per connection across all instances. A lease is taken with one
 * atomic upsert that only succeeds when no live lease exists; it is renewed while the run makes
 * progress and released at the end. A crashed holder's lease simply expires.
 */
@Repository
public class LeaseRepository {

  private final DatabaseClient db;

  LeaseRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Boolean> tryAcquire(UUID connectionId, String owner, Instant now, Instant until) {
    return db.sql(
            """
            insert into sync_leases (connection_id, owner, expires_at) values (:id, :owner, :until)
            on conflict (connection_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
            where sync_leases.expires_at <= :now
            returning owner
            """)
        .bind("id", connectionId)
        .bind("owner", owner)
        .bind("until", until)
        .bind("now", now)
        .map(r -> r.get("owner", String.class))
        .first()
        .map(owner::equals)
        .defaultIfEmpty(false);
  }

  /** Extends the lease; false when it was lost (expired and taken by someone else). */
  public Mono<Boolean> renew(UUID connectionId, String owner, Instant until) {
    return db.sql(
            "update sync_leases set expires_at = :until where connection_id = :id and owner = :owner")
        .bind("id", connectionId)
        .bind("owner", owner)
        .bind("until", until)
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0);
  }

  public Mono<Void> release(UUID connectionId, String owner) {
    return db.sql("delete from sync_leases where connection_id = :id and owner = :owner")
        .bind("id", connectionId)
        .bind("owner", owner)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
