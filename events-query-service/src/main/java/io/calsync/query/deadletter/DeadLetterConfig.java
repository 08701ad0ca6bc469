package io.calsync.query.deadletter;

import java.time.Duration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The operators' dead-letter endpoint, with the service's Kafka settings (bootstrap servers,
 * transport security) for its own clients.
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfig {

  /** The consumer group whose committed offsets on a dead-letter topic mark what was re-driven. */
  static final String REDRIVE_GROUP = "events-query-service-dlt-redrive";

  @Bean
  DeadLettersEndpoint deadLettersEndpoint(KafkaProperties kafka) {
    return new DeadLettersEndpoint(
        new DeadLetterStore(
            kafka.buildConsumerProperties(),
            kafka.buildProducerProperties(),
            REDRIVE_GROUP,
            Duration.ofSeconds(10)));
  }
}
