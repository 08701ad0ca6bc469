package io.calsync.oauth.outbox;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox relay: how often it polls, how much it takes at once, how long one send may take; and
 * how long published rows are kept.
 */
@Validated
@ConfigurationProperties("calsync.outbox")
record OutboxProperties(
    @DefaultValue("200ms") @NotNull Duration pollInterval,
    @DefaultValue("100") @Min(1) @Max(1000) int batchSize,
    @DefaultValue("15s") @NotNull Duration sendTimeout,
    @DefaultValue("7d") @NotNull Duration retention,
    @Valid @NotNull @DefaultValue Purge purge) {

  /**
   * The periodic deletion of rows published longer than {@code retention} ago; never an unpublished
   * row.
   *
   * @param interval pause between two runs (the first starts one interval after start-up)
   * @param batchSize rows deleted per statement; a run deletes batches until one comes back short
   */
  record Purge(
      @DefaultValue("1h") @NotNull Duration interval,
      @DefaultValue("1000") @Min(1) @Max(100000) int batchSize) {}
}
