package io.calsync.sync.trigger;

import io.calsync.sync.model.SyncTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The runs of the sync for operators: {@code calsync_sync_runs_total{trigger, outcome}}, {@code
 * calsync_sync_run_duration_seconds{trigger, outcome}} (a few fixed buckets, 0.1 s to 10 min) and
 * {@code calsync_google_quota_pauses_total} (a run met Google's {@code quotaExceeded} and the
 * connection rests). Outcomes: success, error, reauth_required, lease_lost; triggers: {@link
 * SyncTrigger}, and {@code none} for a lease lost between two runs.
 */
final class RunMeters {

  static final String NO_TRIGGER = "none";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10)
  };

  private final MeterRegistry meters;
  private final Counter quotaPauses;

  RunMeters(MeterRegistry meters) {
    this.meters = meters;
    this.quotaPauses =
        Counter.builder("calsync.google.quota.pauses")
            .description("Times a connection's sync paused for Google's usage limits")
            .register(meters);
  }

  Timer.Sample start() {
    return Timer.start(meters);
  }

  /** A run ended (its duration from {@code started}), or was cut short (started null). */
  void ended(String trigger, String outcome, Timer.Sample started) {
    Counter.builder("calsync.sync.runs")
        .description("Sync runs of connections, by trigger and outcome")
        .tag("trigger", trigger)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
    if (started != null) {
      started.stop(
          Timer.builder("calsync.sync.run.duration")
              .description("How long sync runs of connections take, by trigger and outcome")
              .tag("trigger", trigger)
              .tag("outcome", outcome)
              .serviceLevelObjectives(BUCKETS)
              .register(meters));
    }
  }

  void quotaPause() {
    quotaPauses.increment();
  }
}
