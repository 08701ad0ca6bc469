package io.calsync.oauth.connect;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The connect flow.
 *
 * @param stateTtl how long a one-time OAuth state stays valid
 * @param maxPendingStates how many flows a user may have pending (started, not completed, not
 *     expired) at once; one more is refused with 429 until the oldest expires or one completes
 */
@Validated
@ConfigurationProperties("calsync.connect")
record ConnectProperties(
    @DefaultValue("10m") @NotNull Duration stateTtl,
    @DefaultValue("5") @Min(1) int maxPendingStates) {}
