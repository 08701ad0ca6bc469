package io.calsync.sync.web;

import io.calsync.sync.trigger.DeadLetterRedrive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code /actuator/deadletters} on the management port, for operators (scope {@code
 * calendar.admin}, see {@link SecurityConfig}): {@code GET} lists what waits in {@code
 * calendar.connections.v1.DLT} (never a record's value), {@code POST} re-drives it into {@code
 * calendar.connections.v1} ({@link DeadLetterRedrive}). 409 while another re-drive runs on this
 * instance; 503 when Kafka cannot be reached (problems answered by {@link ProblemAdvice}).
 */
@Component
@Endpoint(id = "deadletters")
class DeadLettersEndpoint {

  static final String PATH = "/actuator/deadletters";
  private static final Logger log = LoggerFactory.getLogger(DeadLettersEndpoint.class);

  private final DeadLetterRedrive deadLetters;

  DeadLettersEndpoint(DeadLetterRedrive deadLetters) {
    this.deadLetters = deadLetters;
  }

  @ReadOperation
  public Mono<DeadLetterRedrive.Waiting> waiting() {
    return deadLetters.waiting().onErrorMap(DeadLettersEndpoint::problem);
  }

  @WriteOperation
  public Mono<DeadLetterRedrive.Redriven> redrive() {
    return deadLetters.redrive().onErrorMap(DeadLettersEndpoint::problem);
  }

  private static Throwable problem(Throwable e) {
    if (e instanceof DeadLetterRedrive.RedriveInProgressException) {
      return ProblemException.conflict("A re-drive is under way; try again when it is done.");
    }
    if (e instanceof DeadLetterRedrive.KafkaUnavailableException) {
      log.warn("dead letters unavailable: {}", e.getMessage());
      return ProblemException.unavailable("Kafka could not be reached; try again.");
    }
    return e;
  }
}
