package io.calsync.query.readmodel.messaging;

import io.calsync.contract.kafka.Topics;
import io.calsync.query.problem.Outages;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;
import tools.jackson.core.JacksonException;

/**
 * Topics this service reads (created if missing, with their dead-letter twins) and the listeners'
 * error handling: bounded exponential retry, then the record goes to {@code <topic>.DLT} on the
 * same partition. A value that is not JSON of the contract is not retried; while the database is
 * unreachable a record is retried for up to {@code
 * calsync.query.read-model.retry.outage-max-elapsed}, so an outage does not dead-letter valid
 * changes.
 */
@Configuration(proxyBeanMethods = false)
class ReadModelKafkaConfig {

  @Bean
  NewTopic eventChangesTopic(ReadModelProperties properties) {
    return TopicBuilder.name(Topics.EVENT_CHANGES)
        .partitions(properties.topics().partitions())
        .replicas(properties.topics().replicas())
        .build();
  }

  @Bean
  NewTopic eventChangesDeadLetterTopic(ReadModelProperties properties) {
    return TopicBuilder.name(Topics.deadLetter(Topics.EVENT_CHANGES))
        .partitions(properties.topics().partitions())
        .replicas(properties.topics().replicas())
        .build();
  }

  @Bean
  NewTopic connectionsTopic(ReadModelProperties properties) {
    return TopicBuilder.name(Topics.CONNECTIONS)
        .partitions(properties.topics().partitions())
        .replicas(properties.topics().replicas())
        .build();
  }

  @Bean
  NewTopic connectionsDeadLetterTopic(ReadModelProperties properties) {
    return TopicBuilder.name(Topics.deadLetter(Topics.CONNECTIONS))
        .partitions(properties.topics().partitions())
        .replicas(properties.topics().replicas())
        .build();
  }

  @Bean
  DefaultErrorHandler kafkaErrorHandler(
      KafkaOperations<Object, Object> template, ReadModelProperties properties) {
    ReadModelProperties.Retry retry = properties.retry();
    ExponentialBackOff backOff =
        new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    backOff.setMaxAttempts(retry.maxRetries());
    ExponentialBackOff outage =
        new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    outage.setMaxInterval(retry.outageMaxInterval().toMillis());
    outage.setMaxElapsedTime(retry.outageMaxElapsed().toMillis());
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            new DeadLetterPublishingRecoverer(
                template,
                (record, e) ->
                    new TopicPartition(Topics.deadLetter(record.topic()), record.partition())),
            backOff);
    // a value that is not the contract, or that the schema rejects, will not get better by retrying
    handler.addNotRetryableExceptions(
        JacksonException.class,
        DeserializationException.class,
        IllegalArgumentException.class,
        DataIntegrityViolationException.class);
    // a database outage is not the message's fault: retry much longer before dead-lettering it
    handler.setBackOffFunction((record, e) -> Outages.isOutage(e) ? outage : null);
    return handler;
  }
}
