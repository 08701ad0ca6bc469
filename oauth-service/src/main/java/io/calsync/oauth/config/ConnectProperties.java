package io.calsync.oauth.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The connect flow: how long a one-time OAuth state stays valid. */
@Validated
@ConfigurationProperties("calsync.connect")
public record ConnectProperties(@DefaultValue("10m") @NotNull Duration stateTtl) {}
