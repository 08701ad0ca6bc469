package io.calsync.oauth.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Partitions and replicas of the topics this service creates. */
@Validated
@ConfigurationProperties("calsync.kafka")
record KafkaTopicsProperties(
    @DefaultValue("3") @Min(1) int topicPartitions, @DefaultValue("1") @Min(1) int topicReplicas) {}
