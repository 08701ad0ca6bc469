package io.calsync.sync.config;

import io.calsync.contract.kafka.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;
import tools.jackson.core.JacksonException;

/**
 * Topics this service uses (created if missing) and the listener's error handling: a bounded retry,
 * then the record goes to {@code <topic>.DLT}. A value that is not JSON is not retried. Boot's
 * listener container factory picks the {@link DefaultErrorHandler} bean up.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

  @Bean
  NewTopic connectionsTopic(KafkaTopicsProperties props) {
    return topic(Topics.CONNECTIONS, props);
  }

  @Bean
  NewTopic connectionsDeadLetterTopic(KafkaTopicsProperties props) {
    return topic(Topics.deadLetter(Topics.CONNECTIONS), props);
  }

  @Bean
  NewTopic eventChangesTopic(KafkaTopicsProperties props) {
    return topic(Topics.EVENT_CHANGES, props);
  }

  @Bean
  NewTopic eventChangesDeadLetterTopic(KafkaTopicsProperties props) {
    return topic(Topics.deadLetter(Topics.EVENT_CHANGES), props);
  }

  @Bean
  DefaultErrorHandler kafkaErrorHandler(
      KafkaOperations<?, ?> template, KafkaTopicsProperties props) {
    // the contract's dead-letter topic is <topic>.DLT (Spring Kafka 4's default would be
    // <topic>-dlt)
    var recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, e) ->
                new TopicPartition(Topics.deadLetter(record.topic()), record.partition()));
    var handler =
        new DefaultErrorHandler(
            recoverer,
            new FixedBackOff(props.listenerRetryInterval().toMillis(), props.listenerRetries()));
    handler.addNotRetryableExceptions(JacksonException.class, IllegalArgumentException.class);
    return handler;
  }

  private static NewTopic topic(String name, KafkaTopicsProperties props) {
    return TopicBuilder.name(name)
        .partitions(props.topicPartitions())
        .replicas(props.topicReplicas())
        .build();
  }
}
