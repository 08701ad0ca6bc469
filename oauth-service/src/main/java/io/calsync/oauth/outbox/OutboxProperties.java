package io.calsync.oauth.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The outbox relay: how often it polls, how much it takes at once, how long one send may take. */
@Validated
@ConfigurationProperties("calsync.outbox")
record OutboxProperties(
    @DefaultValue("200ms") @NotNull Duration pollInterval,
    @DefaultValue("100") @Min(1) @Max(1000) int batchSize,
    @DefaultValue("15s") @NotNull Duration sendTimeout) {}
