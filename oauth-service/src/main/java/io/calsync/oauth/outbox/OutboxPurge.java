package io.calsync.oauth.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Deletes outbox rows published longer than {@code calsync.outbox.retention} ago, every {@code
 * calsync.outbox.purge.interval}, in batches of {@code calsync.outbox.purge.batch-size} (each its
 * own short statement, so no long lock and no long transaction). An unpublished row is never
 * deleted, whatever its age. Runs on every instance; concurrent runs only share the work.
 */
@Component
class OutboxPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxPurge.class);

  private final OutboxRepository repository;
  private final OutboxProperties properties;
  private final Clock clock;
  private final Counter purged;
  private volatile Disposable loop;

  OutboxPurge(
      OutboxRepository repository, OutboxProperties properties, Clock clock, MeterRegistry meters) {
    this.repository = repository;
    this.properties = properties;
    this.clock = clock;
    this.purged =
        Counter.builder("calsync.outbox.purged")
            .description("Published outbox rows deleted after the retention")
            .register(meters);
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    loop =
        Flux.interval(properties.purge().interval())
            .onBackpressureDrop()
            .concatMap(tick -> purgeOnce().onErrorResume(this::logAndContinue), 1)
            .subscribe();
  }

  /** Deletes every row published before now minus the retention; emits how many. */
  Mono<Long> purgeOnce() {
    Instant publishedBefore = clock.instant().minus(properties.retention());
    int batchSize = properties.purge().batchSize();
    return repository
        .deletePublishedBefore(publishedBefore, batchSize)
        .expand(
            deleted ->
                deleted < batchSize
                    ? Mono.empty()
                    : repository.deletePublishedBefore(publishedBefore, batchSize))
        .reduce(0L, Long::sum)
        .doOnNext(
            deleted -> {
              purged.increment(deleted);
              if (deleted > 0) {
                log.info("Purged {} outbox rows published before {}", deleted, publishedBefore);
              }
            });
  }

  private Mono<Long> logAndContinue(Throwable e) {
    log.warn("Outbox purge stopped, will retry: {}", e.toString());
    return Mono.empty();
  }

  @Override
  public synchronized void stop() {
    Disposable current = loop;
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    Disposable current = loop;
    return current != null && !current.isDisposed();
  }

  @Override
  public int getPhase() {
    // Stop before the web server and the connection pool are shut down, start after them.
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}
