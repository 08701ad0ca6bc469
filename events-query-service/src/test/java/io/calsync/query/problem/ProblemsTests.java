package io.calsync.query.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.problem.ProblemCodes;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class ProblemsTests {

  @Test
  void whenTheDatabaseCannotBeReachedThenItIsAnOutageEvenWhenWrapped() {
    assertThat(Problems.isUnavailable(new DataAccessResourceFailureException("Failed to obtain R2DBC Connection"))).isTrue();
    assertThat(Problems.isUnavailable(new ListenerExecutionFailedException("listener failed",
        new IllegalStateException("Timeout on blocking read", new TimeoutException())))).isTrue();
  }

  @Test
  void whenTheDataIsWrongThenItIsNotAnOutage() {
    assertThat(Problems.isUnavailable(new DataIntegrityViolationException("null value in column"))).isFalse();
    assertThat(Problems.isUnavailable(new IllegalArgumentException("event.upserted without event id"))).isFalse();
  }

  @Test
  void shouldBuildProblemsWithTheContractsTypeAndCode() {
    var problem = Problems.problem(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, "limit must be from 1 to 100.", "limit");
    assertThat(problem.type()).isEqualTo("https://calsync.io/problems/invalid_parameter");
    assertThat(problem.title()).isEqualTo("Bad Request");
    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.parameter()).isEqualTo("limit");
    assertThat(Problems.codeOf(HttpStatus.NOT_FOUND)).isEqualTo(ProblemCodes.NOT_FOUND);
    assertThat(Problems.codeOf(HttpStatus.SERVICE_UNAVAILABLE)).isEqualTo(ProblemCodes.UPSTREAM_UNAVAILABLE);
  }
}
