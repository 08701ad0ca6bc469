package io.calsync.query;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of events-query-service ({@code calendar.query.*}). Beside the application class rather than
 * in {@code config}: the features read them, and {@code config} wires the features, so settings there
 * would make every feature and the wiring depend on each other.
 *
 * @param heartbeat interval of the comment heartbeat on the live stream
 * @param listenerTimeout how long a listener waits for one message's transaction
 * @param maxInstancesPerSeries upper bound of rule iterations when expanding one series for a query
 * @param retry bounded retry of a failing Kafka record before it goes to the dead-letter topic
 * @param topics how the topics this service reads are created when missing
 * @param stream limits of the live stream
 */
@ConfigurationProperties("calendar.query")
@Validated
public record QueryProperties(
    @DefaultValue("15s") @NotNull Duration heartbeat,
    @DefaultValue("30s") @NotNull Duration listenerTimeout,
    @DefaultValue("20000") @Min(1) int maxInstancesPerSeries,
    @DefaultValue @NotNull @Valid Retry retry,
    @DefaultValue @NotNull @Valid Topics topics,
    @DefaultValue @NotNull @Valid Stream stream) {

  /**
   * @param initialInterval first backoff
   * @param multiplier backoff growth
   * @param maxInterval largest backoff
   * @param maxRetries retries after the first failure
   * @param outageMaxInterval largest backoff while the database is unreachable
   * @param outageMaxElapsed how long a record is retried while the database is unreachable, before it
   *     goes to the dead-letter topic after all
   */
  public record Retry(
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
  public record Topics(@DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas) {}

  /**
   * @param maxOpenPerUser live streams one user may have open at once on one instance; one more is a 429
   * @param retryAfter the {@code Retry-After} of that 429 (a stream frees its slot when it is closed,
   *     which the service cannot foresee)
   */
  public record Stream(
      @DefaultValue("5") @Min(1) int maxOpenPerUser, @DefaultValue("10s") @NotNull Duration retryAfter) {}
}
