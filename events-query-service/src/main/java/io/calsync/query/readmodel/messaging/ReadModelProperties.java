package io.calsync.query.readmodel.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the read model consumes Kafka ({@code calsync.query.read-model.*}).
 *
 * @param listenerTimeout how long a listener waits for one batch's transaction
 * @param retry backoff between deliveries of a record that failed for any reason but bad data
 * @param topics how the topics this service reads are created when missing
 */
@ConfigurationProperties("calsync.query.read-model")
@Validated
record ReadModelProperties(
    @DefaultValue("30s") @NotNull Duration listenerTimeout,
    @DefaultValue @NotNull @Valid Retry retry,
    @DefaultValue @NotNull @Valid Topics topics) {

  /**
   * Such a record is retried without end; only poison goes to the dead-letter topic, at once.
   *
   * @param initialInterval first backoff
   * @param multiplier backoff growth
   * @param maxInterval largest backoff: the consumer sleeps it between two polls, so it stays far
   *     below {@code max.poll.interval.ms} (5 minutes)
   */
  record Retry(
      @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration initialInterval,
      @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
      @DefaultValue("30s") @NotNull @DurationMax(minutes = 1) Duration maxInterval) {}

  /**
   * @param partitions partitions of each topic and its dead-letter twin
   * @param replicas replication factor
   */
  record Topics(
      @DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {}
}
