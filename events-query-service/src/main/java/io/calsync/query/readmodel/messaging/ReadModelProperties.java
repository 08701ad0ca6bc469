package io.calsync.query.readmodel.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the read model consumes Kafka ({@code calsync.query.read-model.*}).
 *
 * @param listenerTimeout how long a listener waits for one message's transaction
 * @param retry bounded retry of a failing record before it goes to the dead-letter topic
 * @param topics how the topics this service reads are created when missing
 */
@ConfigurationProperties("calsync.query.read-model")
@Validated
record ReadModelProperties(
    @DefaultValue("30s") @NotNull Duration listenerTimeout,
    @DefaultValue @NotNull @Valid Retry retry,
    @DefaultValue @NotNull @Valid Topics topics) {

  /**
   * @param initialInterval first backoff
   * @param multiplier backoff growth
   * @param maxInterval largest backoff
   * @param maxRetries retries after the first failure
   * @param outageMaxInterval largest backoff while the database is unreachable
   * @param outageMaxElapsed how long a record is retried while the database is unreachable, before
   *     it goes to the dead-letter topic after all
   */
  record Retry(
      @DefaultValue("500ms") @NotNull Duration initialInterval,
      @DefaultValue("2.0") @DecimalMin("1.0") double multiplier,
      @DefaultValue("5s") @NotNull Duration maxInterval,
      @DefaultValue("4") @Min(0) int maxRetries,
      @DefaultValue("30s") @NotNull Duration outageMaxInterval,
      @DefaultValue("10m") @NotNull Duration outageMaxElapsed) {}

  /**
   * @param partitions partitions of each topic and its dead-letter twin
   * @param replicas replication factor
   */
  record Topics(
      @DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {}
}
