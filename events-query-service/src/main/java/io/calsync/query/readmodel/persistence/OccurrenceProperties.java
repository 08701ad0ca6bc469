package io.calsync.query.readmodel.persistence;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The materialized occurrences ({@code calsync.query.occurrences.*}).
 *
 * @param horizon how far ahead of now series are expanded when written or extended; at least the
 *     longest window a query may ask for (365 days) and a day
 * @param schedule when the horizon job runs (a Spring cron expression, UTC; read by {@link
 *     OccurrenceHorizon}'s {@code @Scheduled})
 * @param startupDelay when the horizon job runs after startup (idem)
 */
@ConfigurationProperties("calsync.query.occurrences")
@Validated
record OccurrenceProperties(
    @DefaultValue("400d") Duration horizon,
    @DefaultValue("0 17 3 * * *") @NotBlank String schedule,
    @DefaultValue("5s") Duration startupDelay) {

  /** The longest window a query may ask for, and a day of slack for its zone. */
  static final Duration REACH = Duration.ofDays(366);

  OccurrenceProperties {
    if (horizon.compareTo(REACH) <= 0) {
      throw new IllegalArgumentException(
          "calsync.query.occurrences.horizon must exceed " + REACH.toDays() + " days");
    }
  }
}
