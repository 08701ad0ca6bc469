package io.calsync.query.readmodel.messaging;

import io.calsync.query.problem.Outages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import tools.jackson.core.JacksonException;

/**
 * What a listener failure says about its record, and what the error handler does with it: {@link
 * Kind#POISON} (the record can never succeed) goes to {@code <topic>.DLT} at once; every other
 * failure is retried without end, as a lost {@code event.deleted} or {@code snapshot_completed}
 * leaves ghost events, which is worse than a partition that waits (the consumer lag shows it). An
 * outage ({@link Outages}: the database unreachable, a timeout) is logged as a warning; an
 * unclassified failure is probably a bug: it is logged as an error with the record's coordinates
 * (never its value) and counted, like every retried failure, in {@code
 * calsync.kafka.listener.failures} (tags {@code topic}, {@code kind}).
 */
final class ListenerFailures implements RetryListener {

  /** Types of failure that no retry can cure. */
  static final List<Class<? extends Exception>> POISON =
      List.of(
          JacksonException.class,
          DeserializationException.class,
          IllegalArgumentException.class,
          DataIntegrityViolationException.class);

  enum Kind {
    POISON,
    INFRASTRUCTURE,
    UNCLASSIFIED
  }

  private static final Logger log = LoggerFactory.getLogger(ListenerFailures.class);

  private final MeterRegistry meters;

  ListenerFailures(MeterRegistry meters) {
    this.meters = meters;
  }

  static Kind classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Throwable cause = t;
      if (POISON.stream().anyMatch(type -> type.isInstance(cause))) {
        return Kind.POISON;
      }
    }
    return Outages.isOutage(failure) ? Kind.INFRASTRUCTURE : Kind.UNCLASSIFIED;
  }

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int deliveryAttempt) {
    Kind kind = classify(failure);
    if (kind == Kind.POISON) {
      return; // not retried: recovered() follows
    }
    Counter.builder("calsync.kafka.listener.failures")
        .description("Failed deliveries of a Kafka record that are retried")
        .tag("topic", record.topic())
        .tag("kind", kind.name().toLowerCase(Locale.ROOT))
        .register(meters)
        .increment();
    if (kind == Kind.INFRASTRUCTURE) {
      log.warn(
          "{}: delivery {} failed on the infrastructure ({}); retrying until it is back",
          coordinates(record),
          deliveryAttempt,
          describe(rootCause(failure)));
    } else {
      log.error(
          "{}: delivery {} failed for an unclassified reason; retrying without end",
          coordinates(record),
          deliveryAttempt,
          failure);
    }
  }

  @Override
  public void recovered(ConsumerRecord<?, ?> record, Exception failure) {
    log.warn(
        "{}: cannot ever succeed ({}); sent to the dead-letter topic",
        coordinates(record),
        rootCause(failure).getClass().getName());
  }

  @Override
  public void recoveryFailed(ConsumerRecord<?, ?> record, Exception original, Exception failure) {
    log.error(
        "{}: the dead-letter topic did not take it ({}); it will be delivered again",
        coordinates(record),
        describe(rootCause(failure)));
  }

  private static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** An infrastructure failure's message names a host or a timeout, never a record's data. */
  private static String describe(Throwable t) {
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
