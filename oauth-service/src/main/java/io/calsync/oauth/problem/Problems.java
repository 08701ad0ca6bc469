package io.calsync.oauth.problem;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Builds the platform's RFC 9457 problem details. */
public final class Problems {

  public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

  private Problems() {}

  public static Problem problem(HttpStatus status, String code, String detail, String parameter) {
    return new Problem(
        ProblemCodes.type(code), status.getReasonPhrase(), status.value(), detail, null, code, parameter);
  }

  public static ResponseEntity<Problem> response(
      HttpStatus status, String code, String detail, String parameter) {
    return ResponseEntity.status(status)
        .contentType(PROBLEM_JSON)
        .body(problem(status, code, detail, parameter));
  }

  public static ResponseEntity<Problem> response(HttpStatus status, String code, String detail) {
    return response(status, code, detail, null);
  }

  /** A 429 with {@code Retry-After} in whole seconds, rounded up, at least 1. */
  public static ResponseEntity<Problem> tooManyRequests(String code, String detail, Duration retryAfter) {
    long seconds = Math.max(1, retryAfter.plusNanos(999_999_999L).getSeconds());
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(PROBLEM_JSON)
        .body(problem(HttpStatus.TOO_MANY_REQUESTS, code, detail, null));
  }
}
