package io.calsync.query.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.query.problem.ProblemException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The dead-letter endpoint without Spring, against a Kafka that cannot be reached. */
class DeadLettersEndpointTests {

  private final DeadLettersEndpoint endpoint =
      new DeadLettersEndpoint(
          new DeadLetterStore(
              Map.of("bootstrap.servers", "localhost:1"),
              Map.of("bootstrap.servers", "localhost:1"),
              "test-redrive",
              Duration.ofSeconds(1)));

  @Test
  void whenKafkaCannotBeReachedThenListingIsA503() {
    endpoint
        .deadLetters()
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertUnavailable(e))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void whenKafkaCannotBeReachedThenReDrivingIsA503() {
    endpoint
        .redrive(DeadLettersEndpoint.SOURCES.get(0) + ".DLT")
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertUnavailable(e))
        .verify(Duration.ofSeconds(30));
  }

  private static void assertUnavailable(Throwable e) {
    assertThat(e).isInstanceOf(ProblemException.class);
    assertThat(((ProblemException) e).getStatusCode().value()).isEqualTo(503);
  }
}
