package io.calsync.query.deadletter;

import io.calsync.contract.kafka.Topics;
import io.calsync.query.problem.ProblemException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /actuator/deadletters} on the management port, for operators (scope {@code
 * calendar.admin}, {@code config.SecurityConfig}). GET: per dead-letter topic of the topics this
 * service consumes, how many records wait, the oldest and newest, and the first {@value #LISTED}
 * with partition, offset, key, time and the failure's class, never the payload. POST {@code
 * {"topic": "<topic>.DLT"}}: re-drives what waits there into its source topic, each record at most
 * once ({@link DeadLetterStore}). The Kafka clients block, so each call runs on the bounded elastic
 * scheduler; Kafka unreachable is a 503.
 */
@WebEndpoint(id = "deadletters")
class DeadLettersEndpoint {

  private static final Logger log = LoggerFactory.getLogger(DeadLettersEndpoint.class);

  /** The dead-letter topics this service writes, in a fixed order. */
  static final List<String> SOURCES = List.of(Topics.EVENT_CHANGES, Topics.CONNECTIONS);

  static final int LISTED = 100;

  private final DeadLetterStore store;

  DeadLettersEndpoint(DeadLetterStore store) {
    this.store = store;
  }

  @ReadOperation
  Mono<List<DeadLetterStore.Waiting>> deadLetters() {
    return kafka(
        () -> SOURCES.stream().map(t -> store.waiting(Topics.deadLetter(t), LISTED)).toList());
  }

  @WriteOperation
  Mono<DeadLetterStore.Redriven> redrive(@Nullable String topic) {
    String source =
        SOURCES.stream().filter(t -> Topics.deadLetter(t).equals(topic)).findFirst().orElse(null);
    if (source == null) {
      return Mono.error(
          ProblemException.invalidParameter(
              "topic",
              "topic must be one of "
                  + String.join(", ", SOURCES.stream().map(Topics::deadLetter).toList())
                  + "."));
    }
    return kafka(() -> store.redrive(topic, source))
        .doOnNext(
            r ->
                log.info(
                    "Re-drove {} records of {} into {} ({} skipped: re-driven before)",
                    r.redriven(),
                    r.topic(),
                    r.sourceTopic(),
                    r.skipped()));
  }

  private static <T> Mono<T> kafka(Callable<T> call) {
    return Mono.fromCallable(call)
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(
            KafkaException.class,
            e -> {
              log.warn("Kafka could not be reached for the dead-letter topics: {}", e.toString());
              return ProblemException.unavailable("Kafka cannot be reached right now.");
            });
  }
}
