package io.calsync.sync.config;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Topic layout and the listener's bounded retry before a record goes to its dead-letter topic. */
@Validated
@ConfigurationProperties("calsync.kafka")
record KafkaTopicsProperties(
    @Min(1) @DefaultValue("3") int topicPartitions,
    @Min(1) @DefaultValue("1") short topicReplicas,
    @Min(0) @DefaultValue("3") int listenerRetries,
    @DefaultValue("1s") Duration listenerRetryInterval) {}
