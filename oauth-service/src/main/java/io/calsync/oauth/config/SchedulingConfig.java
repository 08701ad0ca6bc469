package io.calsync.oauth.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs {@code @Scheduled} methods: the gauges read from the database refresh on a schedule ({@code
 * calsync.metrics.stored-state-interval}), so a Prometheus scrape never waits for a query. Their
 * methods return a {@code Mono}, which the scheduler subscribes to at each run.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfig {}
