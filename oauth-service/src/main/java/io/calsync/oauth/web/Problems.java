package io.calsync.oauth.web;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
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
}
