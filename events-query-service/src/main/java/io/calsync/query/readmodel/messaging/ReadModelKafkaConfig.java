package io.calsync.query.readmodel.messaging;

import io.calsync.contract.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Topics this service reads (created if missing, with their dead-letter twins) and the listeners'
 * error handling: a record that can never succeed ({@link ListenerFailures#POISON}: not JSON of the
 * contract, invalid, an integrity violation), signalled by the batch listener as a {@code
 * BatchListenerFailedException}, goes to {@code <topic>.DLT} at once, after the offsets of the
 * records before it were committed, and the records after it are delivered again; any other failure
 * (the database unreachable, a timeout, or a bug), signalled at the batch's first record, is
 * retried without end with exponential backoff ({@code calsync.query.read-model.retry.*}). An
 * offset is committed only once its record was applied or dead-lettered. The backoff sleeps on the
 * consumer thread between polls, stopped early when the container stops.
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
      KafkaOperations<Object, Object> template,
      ReadModelProperties properties,
      MeterRegistry meters) {
    ReadModelProperties.Retry retry = properties.retry();
    ExponentialBackOff backOff =
        new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    // no attempt limit and no elapsed-time limit: only poison is ever dead-lettered
    backOff.setMaxAttempts(Integer.MAX_VALUE);
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters(template, meters), backOff);
    ListenerFailures.POISON.forEach(handler::addNotRetryableExceptions);
    handler.setRetryListeners(new ListenerFailures(meters));
    // ListenerFailures logs each failure once, at the level its kind deserves
    handler.setLogLevel(KafkaException.Level.DEBUG);
    return handler;
  }

  /**
   * Publishes to the contract's {@code <topic>.DLT} without a fixed partition: the producer's
   * partitioner picks one by key, so a dead-letter topic may have fewer partitions than its source.
   * Each record Kafka acknowledged there counts in {@code calsync_kafka_dead_letters_total{topic}}
   * (the dead-letter topic; the consumed topics' counters exist from the start, at 0).
   */
  static DeadLetterPublishingRecoverer deadLetters(
      KafkaOperations<?, ?> template, MeterRegistry meters) {
    deadLettered(meters, Topics.deadLetter(Topics.EVENT_CHANGES));
    deadLettered(meters, Topics.deadLetter(Topics.CONNECTIONS));
    return new DeadLetterPublishingRecoverer(
        template, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1)) {
      @Override
      protected void publish(
          ProducerRecord<Object, Object> out,
          KafkaOperations<Object, Object> kafka,
          ConsumerRecord<?, ?> in) {
        super.publish(out, kafka, in); // throws when Kafka did not acknowledge
        deadLettered(meters, out.topic()).increment();
      }
    };
  }

  private static Counter deadLettered(MeterRegistry meters, String topic) {
    return Counter.builder("calsync.kafka.dead.letters")
        .description("Records sent to a dead-letter topic")
        .tag("topic", topic)
        .register(meters);
  }
}
