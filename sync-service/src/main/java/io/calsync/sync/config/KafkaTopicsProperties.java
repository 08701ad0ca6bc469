package io.calsync.sync.config;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Topic layout and the listener's backoff between deliveries of a record that failed for any reason
 * but bad data: it starts at {@code listenerBackoffInitial} and grows by {@code
 * listenerBackoffMultiplier} up to {@code listenerBackoffMax}, without end. The cap stays far below
 * the consumer's {@code max.poll.interval.ms} (5 minutes), as the consumer sleeps it between two
 * polls.
 */
@Validated
@ConfigurationProperties("calsync.kafka")
record KafkaTopicsProperties(
    @Min(1) @DefaultValue("3") int topicPartitions,
    @Min(1) @DefaultValue("1") short topicReplicas,
    @NotNull @DurationMin(millis = 1) @DefaultValue("1s") Duration listenerBackoffInitial,
    @DecimalMin("1.0") @DefaultValue("2.0") double listenerBackoffMultiplier,
    @NotNull @DurationMax(minutes = 1) @DefaultValue("30s") Duration listenerBackoffMax) {}
