package io.calsync.sync.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import tools.jackson.core.JacksonException;

/**
 * What a listener failure says about its record, and what the error handler does with it: {@link
 * Kind#POISON} (the record can never succeed) goes to {@code <topic>.DLT} at once; every other
 * failure is retried without end, as losing a record is worse than a partition that waits (the
 * consumer lag shows it). Failures of the infrastructure (database, broker, timeouts, network) are
 * expected during an outage and logged as warnings; an unclassified failure is probably a bug: it
 * is logged as an error with the record's coordinates (never its value) and counted, like every
 * retried failure, in {@code calsync.kafka.listener.failures} (tags {@code topic}, {@code kind}).
 */
final class ListenerFailures implements RetryListener {

  /** Types of failure that no retry can cure. */
  static final List<Class<? extends Exception>> POISON =
      List.of(
          JacksonException.class,
          DeserializationException.class,
          IllegalArgumentException.class,
          DataIntegrityViolationException.class);

  private static final List<Class<? extends Throwable>> INFRASTRUCTURE =
      List.of(
          DataAccessResourceFailureException.class,
          TransientDataAccessException.class,
          io.r2dbc.spi.R2dbcTransientException.class,
          io.r2dbc.spi.R2dbcNonTransientResourceException.class,
          RetriableException.class,
          TimeoutException.class,
          IOException.class);

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

  /** The first type in the failure's chain of causes that is known decides. */
  static Kind classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isAny(t, POISON)) {
        return Kind.POISON;
      }
      if (isAny(t, INFRASTRUCTURE)) {
        return Kind.INFRASTRUCTURE;
      }
    }
    return Kind.UNCLASSIFIED;
  }

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int deliveryAttempt) {
    Kind kind = classify(failure);
    if (kind == Kind.POISON) {
      return; // not retried: recovered() follows
    }
    counter(record.topic(), kind).increment();
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

  private Counter counter(String topic, Kind kind) {
    return Counter.builder("calsync.kafka.listener.failures")
        .description("Failed deliveries of a Kafka record that are retried")
        .tag("topic", topic)
        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .register(meters);
  }

  private static boolean isAny(Throwable t, List<? extends Class<? extends Throwable>> types) {
    return types.stream().anyMatch(type -> type.isInstance(t));
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
