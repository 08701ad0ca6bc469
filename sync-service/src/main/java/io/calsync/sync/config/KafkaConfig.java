package io.calsync.sync.config;

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
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Topics this service uses (created if missing) and the listener's error handling: a record that
 * can never succeed ({@link ListenerFailures#POISON}: not JSON, invalid, an integrity violation)
 * goes to {@code <topic>.DLT} at once; any other failure (the database or the broker away, a
 * timeout, or a bug) is retried without end with exponential backoff, and the offset is committed
 * only once the record was handled or dead-lettered. The backoff sleeps on the consumer thread
 * between polls, stopped early when the container stops. Boot's listener container factory picks
 * the {@link DefaultErrorHandler} bean up.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

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
      KafkaOperations<?, ?> template, KafkaTopicsProperties props, MeterRegistry meters) {
    var backOff =
        new ExponentialBackOff(
            props.listenerBackoffInitial().toMillis(), props.listenerBackoffMultiplier());
    backOff.setMaxInterval(props.listenerBackoffMax().toMillis());
    // no attempt limit and no elapsed-time limit: only poison is ever dead-lettered
    backOff.setMaxAttempts(Integer.MAX_VALUE);
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    var handler = new DefaultErrorHandler(deadLetters(template, meters), backOff);
    ListenerFailures.POISON.forEach(handler::addNotRetryableExceptions);
    handler.setRetryListeners(new ListenerFailures(meters));
    // ListenerFailures logs each failure once, at the level its kind deserves
    handler.setLogLevel(KafkaException.Level.DEBUG);
    return handler;
  }

  /**
   * Publishes to the contract's {@code <topic>.DLT} (Spring Kafka 4's default would be {@code
   * <topic>-dlt}) without a fixed partition: the producer's partitioner picks one by key, so a
   * dead-letter topic may have fewer partitions than its source. Each record Kafka acknowledged
   * there counts in {@code calsync_kafka_dead_letters_total{topic}} (the dead-letter topic; the
   * consumed topic's counter exists from the start, at 0).
   */
  static DeadLetterPublishingRecoverer deadLetters(
      KafkaOperations<?, ?> template, MeterRegistry meters) {
    deadLettered(meters, Topics.deadLetter(Topics.CONNECTIONS)); // the topic consumed here
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

  private static NewTopic topic(String name, KafkaTopicsProperties props) {
    return TopicBuilder.name(name)
        .partitions(props.topicPartitions())
        .replicas(props.topicReplicas())
        .build();
  }
}
