package io.calsync.sync.api;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Builds the platform's problem+json bodies (RFC 9457 plus {@code code} and {@code parameter}). */
final class Problems {

  static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  private Problems() {}

  static Problem problem(
      HttpStatus status, String code, String detail, String instance, String parameter) {
    return new Problem(
        ProblemCodes.type(code), status.getReasonPhrase(), status.value(), detail, instance, code,
        parameter);
  }

  static ResponseEntity<Problem> response(
      HttpStatus status, String code, String detail, String instance, String parameter) {
    return ResponseEntity.status(status)
        .contentType(PROBLEM_JSON)
        .body(problem(status, code, detail, instance, parameter));
  }
}
