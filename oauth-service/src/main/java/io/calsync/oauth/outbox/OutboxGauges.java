package io.calsync.oauth.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The outbox's backlog for operators: {@code calsync_outbox_backlog} (rows not yet published) and
 * {@code calsync_outbox_oldest_age_seconds} (how long the oldest of them has waited; 0 when none).
 * A growing age means Kafka has not acknowledged for that long: connects and disconnects are not
 * reaching sync-service and the read model.
 */
@Component
class OutboxGauges {

  private static final Logger log = LoggerFactory.getLogger(OutboxGauges.class);

  private final OutboxRepository repository;
  private final Clock clock;
  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong oldestAgeSeconds = new AtomicLong();

  OutboxGauges(OutboxRepository repository, Clock clock, MeterRegistry meters) {
    this.repository = repository;
    this.clock = clock;
    Gauge.builder("calsync.outbox.backlog", backlog, AtomicLong::get)
        .description("Outbox rows not yet published to Kafka")
        .register(meters);
    Gauge.builder("calsync.outbox.oldest.age", oldestAgeSeconds, AtomicLong::get)
        .description("How long the oldest unpublished outbox row has waited; 0 when none")
        .baseUnit("seconds")
        .register(meters);
  }

  /**
   * Reads the figures again; every instance reports the same database-wide values (dashboards take
   * their {@code max}), and a failed read keeps the last ones.
   */
  @Scheduled(initialDelay = 0, fixedDelayString = "${calsync.metrics.stored-state-interval:15s}")
  Mono<Void> refresh() {
    return repository
        .backlog()
        .doOnNext(
            state -> {
              backlog.set(state.rows());
              oldestAgeSeconds.set(
                  state.oldest() == null
                      ? 0
                      : Math.max(0, Duration.between(state.oldest(), clock.instant()).toSeconds()));
            })
        .onErrorResume(
            e -> {
              log.warn("Gauges not refreshed, keeping the last values: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
