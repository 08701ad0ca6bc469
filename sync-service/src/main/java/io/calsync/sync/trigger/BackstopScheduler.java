package io.calsync.sync.trigger;

import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The periodic backstop (push is not 100% reliable): every {@code backstop-tick} it enqueues the
 * connections that are due ({@code next_sync_at} passed, {@code backstop-interval} after their last
 * run) or owed a run nobody holds a lease for (e.g. after a crash), and the calendars without push
 * (Google refused their watch) every {@code unwatched-interval}. It only enqueues.
 */
@Component
class BackstopScheduler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BackstopScheduler.class);

  private final SyncStateRepository states;
  private final SyncCoordinator coordinator;
  private final SyncProperties props;
  private final Clock clock;
  private volatile Disposable ticks;

  BackstopScheduler(
      SyncStateRepository states, SyncCoordinator coordinator, SyncProperties props, Clock clock) {
    this.states = states;
    this.coordinator = coordinator;
    this.props = props;
    this.clock = clock;
  }

  /**
   * Enqueues the due connections, then the calendars without push (Google refused their {@code
   * events.watch}) whose last sync began {@code unwatched-interval} ago or earlier, each for a sync
   * of that calendar only. Returns how many it enqueued.
   */
  Mono<Long> enqueueDue() {
    Instant now = clock.instant();
    Mono<Long> connections =
        states
            .dueConnections(now)
            .concatMap(id -> coordinator.request(id, SyncTrigger.BACKSTOP))
            .count();
    Mono<Long> unwatched =
        props.pushEnabled()
            ? states
                .dueUnwatchedCalendars(now, now.minus(props.unwatchedInterval()))
                .concatMap(
                    due ->
                        coordinator.requestCalendar(
                            due.connectionId(), due.calendarId(), SyncTrigger.BACKSTOP))
                .count()
            : Mono.just(0L);
    return connections.flatMap(n -> unwatched.map(m -> n + m));
  }

  @Override
  public void start() {
    ticks =
        Flux.interval(props.backstopInitialDelay(), props.backstopTick())
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    enqueueDue()
                        .doOnNext(
                            n -> {
                              if (n > 0) log.debug("backstop enqueued {} connections", n);
                            })
                        .onErrorResume(
                            e -> {
                              log.warn("backstop tick failed: {}", e.toString());
                              return Mono.empty();
                            }))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable t = ticks;
    if (t != null) {
      t.dispose();
    }
    ticks = null;
  }

  @Override
  public boolean isRunning() {
    return ticks != null && !ticks.isDisposed();
  }
}
