package io.calsync.sync.web;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.sync.trigger.DeadLetterRedrive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code /actuator/deadletters} on the management port, for operators (scope {@code
 * calendar.admin}, see {@link SecurityConfig}): {@code GET} lists what waits in {@code
 * calendar.connections.v1.DLT} (never a record's value), {@code POST} re-drives it into {@code
 * calendar.connections.v1} ({@link DeadLetterRedrive}). 409 while another re-drive runs on this
 * instance; 503 when Kafka is away.
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
  public Mono<WebEndpointResponse<Object>> waiting() {
    return answer(deadLetters.waiting());
  }

  @WriteOperation
  public Mono<WebEndpointResponse<Object>> redrive() {
    return answer(deadLetters.redrive());
  }

  private static Mono<WebEndpointResponse<Object>> answer(Mono<?> result) {
    return result
        .map(
            body ->
                new WebEndpointResponse<Object>(
                    body, HttpStatus.OK.value(), MediaType.APPLICATION_JSON))
        .onErrorResume(
            e -> {
              if (e instanceof DeadLetterRedrive.RedriveInProgressException) {
                return Mono.just(
                    OperatorProblems.problem(
                        HttpStatus.CONFLICT,
                        ProblemCodes.CONFLICT,
                        "A re-drive is under way; try again when it is done.",
                        null,
                        PATH));
              }
              log.warn("dead letters unavailable: {}", e.toString());
              return Mono.just(
                  OperatorProblems.problem(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      ProblemCodes.UPSTREAM_UNAVAILABLE,
                      "Kafka could not be reached; try again.",
                      null,
                      PATH));
            });
  }
}
