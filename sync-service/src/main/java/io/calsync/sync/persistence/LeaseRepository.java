package io.calsync.sync.persistence;

import java.time.Duration;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Sync leases: at most one sync per connection across all instances. A lease is taken with one
 * atomic upsert that only succeeds when no live lease exists; it is renewed while the run makes
 * progress and released at the end. A crashed holder's lease simply expires. Expiry is judged by
 * the database's clock ({@code clock_timestamp()}), never by an instance's own: instances with
 * skewed clocks agree on who holds a lease.
 */
@Repository
public class LeaseRepository {

  private final DatabaseClient db;

  LeaseRepository(DatabaseClient db) {
    this.db = db;
  }

  /** Takes the lease for {@code ttl} when nobody holds a live one; true when this owner has it. */
  public Mono<Boolean> tryAcquire(UUID connectionId, String owner, Duration ttl) {
    return db.sql(
            """
            insert into sync_leases (connection_id, owner, expires_at)
            values (:id, :owner, clock_timestamp() + make_interval(secs => :ttl))
            on conflict (connection_id) do update set owner = excluded.owner, expires_at = excluded.expires_at
            where sync_leases.expires_at <= clock_timestamp()
            returning owner
            """)
        .bind("id", connectionId)
        .bind("owner", owner)
        .bind("ttl", seconds(ttl))
        .map(r -> r.get("owner", String.class))
        .first()
        .map(owner::equals)
        .defaultIfEmpty(false);
  }

  /**
   * Extends the lease by {@code ttl} from now; false when it was lost (expired, or taken by someone
   * else): an expired lease is never revived, its holder must stop.
   */
  public Mono<Boolean> renew(UUID connectionId, String owner, Duration ttl) {
    return db.sql(
            """
            update sync_leases set expires_at = clock_timestamp() + make_interval(secs => :ttl)
            where connection_id = :id and owner = :owner and expires_at > clock_timestamp()
            """)
        .bind("id", connectionId)
        .bind("owner", owner)
        .bind("ttl", seconds(ttl))
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

  private static double seconds(Duration ttl) {
    return ttl.toMillis() / 1000.0;
  }
}
