package io.calsync.oauth.config;

import io.calsync.contract.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.support.LoggingProducerListener;

/**
 * The topic this service produces to, and its dead-letter twin, created at start when missing; send
 * failures logged without the message.
 */
@Configuration(proxyBeanMethods = false)
class KafkaTopicsConfig {

  /**
   * A send that fails is logged without the message: its payload is personal data (user ids, event
   * titles, e-mail addresses), which Boot's default listener would print. Topic and partition
   * remain; the publisher logs and counts the failure itself.
   */
  @Bean
  LoggingProducerListener<Object, Object> kafkaProducerListener() {
    LoggingProducerListener<Object, Object> listener = new LoggingProducerListener<>();
    listener.setIncludeContents(false);
    return listener;
  }

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
