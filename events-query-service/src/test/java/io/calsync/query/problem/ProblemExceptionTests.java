package io.calsync.query.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.problem.ProblemCodes;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ProblemExceptionTests {

  @Test
  void shouldBuildProblemsWithTheContractsTypeAndCode() {
    var problem =
        ProblemException.invalidParameter("limit", "limit must be from 1 to 100.").getBody();
    assertThat(problem.getType())
        .isEqualTo(URI.create("https://calsync.io/problems/invalid_parameter"));
    assertThat(problem.getTitle()).isEqualTo("Bad Request");
    assertThat(problem.getStatus()).isEqualTo(400);
    assertThat(problem.getProperties())
        .containsEntry("code", ProblemCodes.INVALID_PARAMETER)
        .containsEntry("parameter", "limit");
    assertThat(ProblemException.codeOf(HttpStatus.NOT_FOUND)).isEqualTo(ProblemCodes.NOT_FOUND);
    assertThat(ProblemException.codeOf(HttpStatus.SERVICE_UNAVAILABLE))
        .isEqualTo(ProblemCodes.UPSTREAM_UNAVAILABLE);
    assertThat(ProblemException.codeOf(HttpStatus.BAD_REQUEST))
        .isEqualTo(ProblemCodes.INVALID_BODY);
  }

  @Test
  void whenALimitIsHitThenRetryAfterIsWholeSecondsRoundedUp() {
    var e = ProblemException.limitExceeded("Too many streams.", Duration.ofMillis(1500));
    assertThat(e.getStatusCode().value()).isEqualTo(429);
    assertThat(e.getHeaders().getFirst("Retry-After")).isEqualTo("2");
    assertThat(e.getBody().getProperties())
        .containsEntry("code", ProblemCodes.LIMIT_EXCEEDED)
        .containsEntry("parameter", null);
  }
}
