package io.calsync.sync.trigger;

import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import java.time.Clock;
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
 * run) or owed a run nobody holds a lease for (e.g. after a crash). It only enqueues.
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

  Mono<Long> enqueueDue() {
    return states
        .dueConnections(clock.instant())
        .concatMap(id -> coordinator.request(id, SyncTrigger.BACKSTOP))
        .count();
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
