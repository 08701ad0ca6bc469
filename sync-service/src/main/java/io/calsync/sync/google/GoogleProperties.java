package io.calsync.sync.google;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Google Calendar API client.
 *
 * @param rootUrl Google's root (the emulator's in the local stack); the API is at {@code
 *     {root}calendar/v3/}
 * @param maxRetries retries of a transient failure (429, 403 rate limits, 5xx, I/O)
 * @param minBackoff first backoff; it doubles (with jitter) up to {@code maxBackoff}
 * @param schedulerThreads threads of the bounded scheduler the blocking client runs on
 * @param requestsPerMinute per-connection request budget (Google allows 600 per user per minute)
 */
@Validated
@ConfigurationProperties("calsync.google")
public record GoogleProperties(
    @NotBlank @DefaultValue("https://www.googleapis.com/") String rootUrl,
    @NotBlank @DefaultValue("calsync-sync-service") String applicationName,
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration readTimeout,
    @Min(0) @DefaultValue("5") int maxRetries,
    @NotNull @DefaultValue("1s") Duration minBackoff,
    @NotNull @DefaultValue("32s") Duration maxBackoff,
    @Min(1) @DefaultValue("8") int schedulerThreads,
    @Min(1) @DefaultValue("500") int requestsPerMinute) {}
