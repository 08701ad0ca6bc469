package io.calsync.sync.engine;

import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.persistence.SyncFigures;
import io.calsync.sync.persistence.SyncFigures.Freshness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The sync's stored state for operators, read from the database on a schedule (one aggregate query
 * each, never a series per calendar): {@code calsync_sync_connections{state}}, {@code
 * calsync_sync_watch_channels} (active, unexpired push channels), and freshness: {@code
 * calsync_sync_calendars_synced_within{le}} (selected calendars of active connections last synced
 * at most {@code le} seconds ago, cumulative like histogram buckets, {@code +Inf} all of them) and
 * {@code calsync_sync_calendar_oldest_success_age_seconds}. Every instance reports the same
 * database-wide values (dashboards take their {@code max}); a failed read keeps the last ones.
 */
@Component
class SyncGauges {

  private static final Logger log = LoggerFactory.getLogger(SyncGauges.class);

  static final List<Duration> FRESHNESS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1),
          Duration.ofHours(6));
  private static final List<String> STATES =
      List.of(
          ConnectionSyncState.IDLE,
          ConnectionSyncState.QUEUED,
          ConnectionSyncState.SYNCING,
          ConnectionSyncState.ERROR,
          ConnectionSyncState.REAUTH_REQUIRED);

  private final SyncFigures figures;
  private final Clock clock;
  private final Map<String, AtomicLong> connections = new ConcurrentHashMap<>();
  private final AtomicLong watchChannels = new AtomicLong();
  private final AtomicLong[] within = new AtomicLong[FRESHNESS.size()];
  private final AtomicLong calendars = new AtomicLong();
  private final AtomicLong oldestAgeSeconds = new AtomicLong();

  SyncGauges(SyncFigures figures, Clock clock, MeterRegistry meters) {
    this.figures = figures;
    this.clock = clock;
    for (String state : STATES) {
      AtomicLong count = new AtomicLong();
      connections.put(state, count);
      Gauge.builder("calsync.sync.connections", count, AtomicLong::get)
          .description("Connections by sync state")
          .tag("state", state)
          .register(meters);
    }
    Gauge.builder("calsync.sync.watch.channels", watchChannels, AtomicLong::get)
        .description("Active, unexpired push channels at Google")
        .register(meters);
    for (int i = 0; i < within.length; i++) {
      within[i] = new AtomicLong();
      synced(meters, Long.toString(FRESHNESS.get(i).toSeconds()), within[i]);
    }
    synced(meters, "+Inf", calendars);
    Gauge.builder("calsync.sync.calendar.oldest.success.age", oldestAgeSeconds, AtomicLong::get)
        .description("Age of the oldest last successful sync of a synced calendar; 0 when none")
        .baseUnit("seconds")
        .register(meters);
  }

  private static void synced(MeterRegistry meters, String le, AtomicLong count) {
    Gauge.builder("calsync.sync.calendars.synced.within", count, AtomicLong::get)
        .description(
            "Selected calendars of active connections whose last successful sync is at most le"
                + " seconds old")
        .tag("le", le)
        .register(meters);
  }

  /** Reads the figures again. */
  @Scheduled(initialDelay = 0, fixedDelayString = "${calsync.metrics.stored-state-interval:15s}")
  Mono<Void> refresh() {
    return figures
        .connectionsByState()
        .doOnNext(found -> connections.forEach((s, n) -> n.set(found.getOrDefault(s, 0L))))
        .then(figures.activeWatchChannels(clock.instant()).doOnNext(watchChannels::set))
        .then(Mono.defer(() -> figures.freshness(clock.instant(), FRESHNESS)))
        .doOnNext(this::fresh)
        .onErrorResume(
            e -> {
              log.warn("Gauges not refreshed, keeping the last values: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }

  private void fresh(Freshness f) {
    for (int i = 0; i < within.length; i++) {
      within[i].set(f.within()[i]);
    }
    calendars.set(f.total());
    oldestAgeSeconds.set(
        f.oldest() == null
            ? 0
            : Math.max(0, Duration.between(f.oldest(), clock.instant()).toSeconds()));
  }
}
