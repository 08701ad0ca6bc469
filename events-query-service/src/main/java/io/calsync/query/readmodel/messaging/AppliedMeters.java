package io.calsync.query.readmodel.messaging;

import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the read model applied, for operators: {@code calsync_query_messages_applied_total{type}}
 * and {@code calsync_query_apply_lag_seconds}, from a message's {@code occurred_at} to the commit
 * of its batch (a few fixed buckets, 10 ms to 60 s). A producer's clock ahead of this one counts as
 * no lag.
 */
final class AppliedMeters {

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private final Meter.MeterProvider<Counter> applied;
  private final Clock clock;
  private final Timer lag;

  AppliedMeters(MeterRegistry meters, Clock clock) {
    this.applied =
        Counter.builder("calsync.query.messages.applied")
            .description("Kafka messages the read model applied, by type")
            .withRegistry(meters);
    this.clock = clock;
    this.lag =
        Timer.builder("calsync.query.apply.lag")
            .description("From a message's occurred_at to the commit of the batch that applied it")
            .serviceLevelObjectives(BUCKETS)
            .register(meters);
  }

  /** The messages were applied by a batch that has just committed. */
  void committed(List<?> messages) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    Map<String, Long> byType = new HashMap<>();
    for (Object message : messages) {
      String type;
      OffsetDateTime occurredAt;
      if (message instanceof EventChangeMessage m) {
        type = m.type();
        occurredAt = m.occurredAt();
      } else if (message instanceof ConnectionMessage m) {
        type = m.type();
        occurredAt = m.occurredAt();
      } else {
        continue;
      }
      byType.merge(type, 1L, Long::sum);
      Duration waited = occurredAt == null ? Duration.ZERO : Duration.between(occurredAt, now);
      lag.record(waited.isNegative() ? Duration.ZERO : waited);
    }
    byType.forEach((type, n) -> applied.withTag("type", type).increment(n));
  }
}
