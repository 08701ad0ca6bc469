package io.calsync.oauth.config;

import io.calsync.contract.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The topic this service produces to, and its dead-letter twin, created at start when missing. */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

  @Bean
  NewTopic connectionsTopic(KafkaTopicsProperties properties) {
    return TopicBuilder.name(Topics.CONNECTIONS)
        .partitions(properties.topicPartitions())
        .replicas(properties.topicReplicas())
        .build();
  }

  @Bean
  NewTopic connectionsDeadLetterTopic(KafkaTopicsProperties properties) {
    return TopicBuilder.name(Topics.deadLetter(Topics.CONNECTIONS))
        .partitions(properties.topicPartitions())
        .replicas(properties.topicReplicas())
        .build();
  }
}
