package io.calsync.query.upcoming;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The upcoming-events query ({@code calsync.query.upcoming.*}).
 *
 * @param maxInstancesPerSeries upper bound of rule iterations when expanding one series, counted
 *     from the materialized horizon's start
 */
@ConfigurationProperties("calsync.query.upcoming")
@Validated
record UpcomingProperties(@DefaultValue("20000") @Min(1) int maxInstancesPerSeries) {}
