package io.calsync.sync.engine;

import io.calsync.sync.persistence.LeaseRepository;
import java.time.Duration;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The sync lease a run holds (sync rule 2 of the module README): renewed by the caller's heartbeat
 * and checked (renewed) before every publish of the run. Once a renewal finds it lost, it stays
 * lost: every later {@link #check} fails at once and the run publishes nothing more.
 */
public final class Lease {

  private final LeaseRepository leases;
  private final UUID connectionId;
  private final String owner;
  private final Duration ttl;
  private volatile boolean lost;

  public Lease(LeaseRepository leases, UUID connectionId, String owner, Duration ttl) {
    this.leases = leases;
    this.connectionId = connectionId;
    this.owner = owner;
    this.ttl = ttl;
  }

  public UUID connectionId() {
    return connectionId;
  }

  /** Extends the lease; false (and lost from now on) when another owner has it or it expired. */
  public Mono<Boolean> renew() {
    if (lost) {
      return Mono.just(false);
    }
    return leases
        .renew(connectionId, owner, ttl)
        .doOnNext(
            held -> {
              if (!held) {
                lost = true;
              }
            });
  }

  /** True once a renewal found the lease lost. */
  public boolean lost() {
    return lost;
  }

  public Mono<Void> release() {
    return leases.release(connectionId, owner);
  }

  /** Before a publish: the lease is still held (and renewed), or the run stops here. */
  Mono<Void> check() {
    return renew()
        .flatMap(
            held ->
                held
                    ? Mono.<Void>empty()
                    : Mono.error(new SyncAbortedException("sync lease lost", true)));
  }
}
