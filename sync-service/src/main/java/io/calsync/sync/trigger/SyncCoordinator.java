package io.calsync.sync.trigger;

import io.calsync.sync.engine.Lease;
import io.calsync.sync.engine.RunResult;
import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.engine.SyncRun;
import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.model.PendingRun;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.LeaseRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every trigger (Kafka {@code connection.connected}, {@code POST /api/calendar/sync/}, push,
 * backstop) goes through {@link #request}: it sets the connection's {@code pending} flag in the
 * database and wakes this instance's worker. The worker takes the connection's lease (at most one
 * sync per connection across instances) and runs while {@code pending} is set, clearing it at the
 * start of each run: triggers that arrive during a run coalesce into exactly one follow-up run.
 * After releasing the lease it looks at {@code pending} once more, so a trigger that raced the
 * release is not lost; an instance that dies leaves its lease to expire and the backstop
 * re-enqueues.
 */
@Service
public class SyncCoordinator implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(SyncCoordinator.class);

  private final ConnectionRepository connections;
  private final SyncStateRepository states;
  private final LeaseRepository leases;
  private final SyncRun run;
  private final SyncProperties props;
  private final Clock clock;
  private final String instanceId;

  /** A fresh queue per start(): its fluxes take one subscriber, and a lifecycle may restart. */
  private volatile WakeUpQueue wakeUps;

  private final RunMeters runMeters;
  private final Counter wakeUpsDropped;
  private volatile Disposable worker;

  SyncCoordinator(
      ConnectionRepository connections,
      SyncStateRepository states,
      LeaseRepository leases,
      SyncRun run,
      SyncProperties props,
      Clock clock,
      MeterRegistry meters) {
    this.runMeters = new RunMeters(meters);
    this.connections = connections;
    this.states = states;
    this.leases = leases;
    this.run = run;
    this.props = props;
    this.instanceId =
        props.instanceName() == null || props.instanceName().isBlank()
            ? UUID.randomUUID().toString()
            : props.instanceName();
    this.clock = clock;
    this.wakeUpsDropped =
        Counter.builder("calsync.sync.wakeups.dropped")
            .description("Wake-ups dropped because the queue was full (the pending flag stays)")
            .register(meters);
    this.wakeUps = new WakeUpQueue(props.wakeUpQueueCapacity(), wakeUpsDropped);
    Gauge.builder("calsync.sync.wakeups.queued", this, c -> c.wakeUps.size())
        .description("Connections queued for this instance's sync worker")
        .register(meters);
  }

  /**
   * Asks for a sync of the connection. Returns its state ({@code queued}, or {@code syncing} when a
   * run is in progress and this request will be its follow-up); empty when the connection is
   * unknown or needs re-consent.
   */
  public Mono<ConnectionSyncState> request(UUID connectionId, SyncTrigger trigger) {
    return states.markPending(connectionId, trigger).doOnNext(s -> wake(connectionId));
  }

  /**
   * A manual sync ("sync now"): like {@link #request} when the connection's sync is already queued
   * (the request joins it) or its last accepted manual sync is at least {@code
   * calsync.sync.manual-sync-interval} ago; otherwise {@link ManualSync.Limited} with the rest of
   * the interval. The window is kept in the database, so it holds across instances. While the
   * connection is paused after Google's {@code quotaExceeded}, {@link ManualSync.Limited} with the
   * rest of the pause. Empty when the connection is unknown or needs re-consent.
   */
  public Mono<ManualSync> requestManual(UUID connectionId) {
    Instant now = clock.instant();
    return states
        .pausedUntil(connectionId, now)
        .<ManualSync>map(until -> new ManualSync.Limited(Duration.between(now, until)))
        .switchIfEmpty(
            Mono.defer(
                () ->
                    states
                        .markManualPending(connectionId, now, now.minus(props.manualSyncInterval()))
                        .doOnNext(s -> wake(connectionId))
                        .<ManualSync>map(ManualSync.Accepted::new)
                        .switchIfEmpty(
                            Mono.defer(
                                () ->
                                    states
                                        .connectionState(connectionId)
                                        .filter(
                                            s ->
                                                !ConnectionSyncState.REAUTH_REQUIRED.equals(
                                                    s.state()))
                                        .filter(s -> s.manualRequestedAt() != null)
                                        .map(s -> limited(s, now))))));
  }

  private ManualSync limited(ConnectionSyncState state, Instant now) {
    Duration left =
        Duration.between(
            now, state.manualRequestedAt().toInstant().plus(props.manualSyncInterval()));
    return new ManualSync.Limited(left.isNegative() ? Duration.ZERO : left);
  }

  /**
   * A push notification of one calendar (sync rule 1): owes an incremental sync of that calendar
   * only, after {@code delay} (the debounce: a burst of notifications becomes one run, one timer
   * per connection); a run owed only because of pushes neither refreshes the calendar list nor
   * syncs the other calendars. The delay runs outside the worker and holds none of its slots.
   */
  public Mono<ConnectionSyncState> requestCalendarAfter(
      UUID connectionId, UUID calendarId, Duration delay) {
    return states
        .markCalendarPushed(calendarId)
        .then(states.markPushPending(connectionId))
        .doOnNext(s -> wakeUps.offerAfter(connectionId, delay));
  }

  /**
   * The backstop of a calendar whose {@code events.watch} Google refused: owes an incremental sync
   * of that calendar only, at once, as a push would (no calendar list, no other calendar).
   */
  public Mono<ConnectionSyncState> requestCalendar(
      UUID connectionId, UUID calendarId, SyncTrigger trigger) {
    return states
        .markCalendarPushed(calendarId)
        .then(states.markCalendarsPending(connectionId, trigger))
        .doOnNext(s -> wake(connectionId));
  }

  private void wake(UUID connectionId) {
    wakeUps.offer(connectionId);
  }

  private Mono<Void> attempt(UUID connectionId) {
    String owner = instanceId + "/" + UUID.randomUUID();
    return leases
        .tryAcquire(connectionId, owner, props.leaseTtl())
        .flatMap(
            acquired ->
                acquired
                    ? drain(new Lease(leases, connectionId, owner, props.leaseTtl()), 0)
                    : Mono.empty());
  }

  /**
   * Runs while {@code pending} is set and the lease is held, at most {@code max-consecutive-runs}
   * in a row. Each round first renews the lease: a lost lease starts nothing more (sync rule 2).
   * After the last allowed run a connection still owed one releases its lease and goes to the back
   * of the queue, so a busy connection cannot hold a worker slot forever.
   */
  private Mono<Void> drain(Lease lease, int runsDone) {
    UUID connectionId = lease.connectionId();
    return lease
        .renew()
        .flatMap(
            held -> {
              if (!held) {
                return leaseLost(connectionId, RunMeters.NO_TRIGGER, null);
              }
              if (runsDone >= props.maxConsecutiveRuns()) {
                return lease
                    .release()
                    .then(states.isPending(connectionId, clock.instant()))
                    .doOnNext(
                        pending -> {
                          if (pending) {
                            wake(connectionId);
                          }
                        })
                    .then();
              }
              return states
                  .claimPending(connectionId, clock.instant())
                  .flatMap(owed -> runOnce(lease, runsDone + 1, owed).thenReturn(true))
                  .switchIfEmpty(
                      Mono.defer(
                          () ->
                              lease
                                  .release()
                                  .then(states.isPending(connectionId, clock.instant()))
                                  .flatMap(
                                      pending -> pending ? attempt(connectionId) : Mono.empty())
                                  .thenReturn(false)))
                  .then();
            });
  }

  /**
   * One run under a heartbeat that renews the lease every third of its TTL (one Google page with
   * its retries can outlast the TTL). When a renewal finds the lease lost the run is cancelled at
   * once, and its result is not recorded: the new holder owns the connection's state.
   */
  private Mono<Void> runOnce(Lease lease, int runsDone, PendingRun owed) {
    UUID connectionId = lease.connectionId();
    String trigger = owed.trigger().label();
    Timer.Sample started = runMeters.start();
    Mono<Boolean> lost =
        Flux.interval(props.leaseTtl().dividedBy(3))
            .concatMap(tick -> lease.renew().onErrorReturn(false))
            .filter(held -> !held)
            .next();
    // the connection row's version at the run's start: the reauth record is conditional on it
    return connections
        .version(connectionId)
        .defaultIfEmpty(-1L)
        .flatMap(
            seen ->
                run.syncConnection(connectionId, lease, owed.wide())
                    .takeUntilOther(lost)
                    .filter(result -> !lease.lost())
                    .flatMap(
                        result ->
                            record(connectionId, seen, result, trigger, started).thenReturn(true)))
        .defaultIfEmpty(false)
        .flatMap(
            recorded ->
                recorded ? drain(lease, runsDone) : leaseLost(connectionId, trigger, started));
  }

  /**
   * The lease was lost during or between runs: nothing more is published or recorded here; the run
   * is owed again ({@code pending}) and the connection queued: if another instance holds the lease
   * it does the run, if the lease merely expired (a renewal came too late) this instance takes it
   * again.
   */
  private Mono<Void> leaseLost(UUID connectionId, String trigger, Timer.Sample started) {
    runMeters.ended(trigger, "lease_lost", started);
    log.info("sync lease of connection {} lost; the run stops", connectionId);
    return states
        .markPending(connectionId, SyncTrigger.RETRY)
        .doOnNext(s -> wake(connectionId))
        .then();
  }

  private Mono<Void> record(
      UUID connectionId, long seenVersion, RunResult result, String trigger, Timer.Sample started) {
    runMeters.ended(trigger, result.succeeded() ? "success" : result.state(), started);
    if (result.pausedUntil() != null) {
      runMeters.quotaPause();
    }
    Instant now = clock.instant();
    if (result.reauthRequired()) {
      // oauth-service answered 409: mark it here at once, as connection.reauth_required will; sync
      // requests are refused locally from now on, without asking Google or oauth-service. Unless a
      // reconnect (connection.connected) was consumed since the run started: its new grant wins,
      // and its pending trigger runs next (module README, decision "Reauth against a reconnect").
      return connections
          .markReauthRequired(connectionId, seenVersion, now)
          // not marked: written since the start; still reauth_required when that write was
          // connection.reauth_required, active after a reconnect, gone after a disconnect
          .flatMap(
              marked ->
                  marked ? Mono.just(true) : connections.find(connectionId).map(c -> !c.active()))
          .flatMap(
              reauth ->
                  reauth
                      ? states.connectionReauthRequired(connectionId, result.errorMessage())
                      : states.connectionFinished(
                          connectionId,
                          ConnectionSyncState.ERROR,
                          null,
                          now,
                          null,
                          "reconnected",
                          "The run met the grant a reconnect replaced; the next run uses the new"
                              + " one."));
    }
    // a failed run is due again soon: what it read but could not publish is fetched again once
    // Kafka, the database or Google is back, even if no other trigger comes (module README,
    // decision "A failed run is retried")
    Instant next =
        result.pausedUntil() != null
            ? result.pausedUntil()
            : now.plus(result.succeeded() ? props.backstopInterval() : props.failureRetry());
    return states.connectionFinished(
        connectionId,
        result.state(),
        result.succeeded() ? now : null,
        next,
        result.pausedUntil(),
        result.errorCode(),
        result.errorMessage());
  }

  @Override
  public void start() {
    // wake-ups offered while stopped are dropped; their pending flags stay and the backstop finds
    // them
    WakeUpQueue queue = new WakeUpQueue(props.wakeUpQueueCapacity(), wakeUpsDropped);
    wakeUps = queue;
    worker =
        Disposables.composite(
            queue
                .ready()
                .flatMap(
                    connectionId ->
                        attempt(connectionId)
                            .onErrorResume(
                                e -> {
                                  log.warn(
                                      "sync of connection {} could not run: {}",
                                      connectionId,
                                      e.toString());
                                  return Mono.empty();
                                }),
                    props.workerConcurrency())
                .subscribe(),
            queue.timers().subscribe());
  }

  @Override
  public void stop() {
    Disposable w = worker;
    if (w != null) {
      w.dispose();
    }
    worker = null;
    wakeUps.close();
  }

  @Override
  public boolean isRunning() {
    return worker != null && !worker.isDisposed();
  }
}
