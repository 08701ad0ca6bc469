package io.calsync.sync.api;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** An expected failure of a request, answered as problem+json with a stable code. */
class ProblemException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final String parameter;
  private final Duration retryAfter;

  ProblemException(HttpStatus status, String code, String detail, String parameter) {
    this(status, code, detail, parameter, null);
  }

  private ProblemException(HttpStatus status, String code, String detail, String parameter, Duration retryAfter) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.parameter = parameter;
    this.retryAfter = retryAfter;
  }

  /** 429 {@code rate_limited}, answered with {@code Retry-After}. */
  static ProblemException rateLimited(String detail, Duration retryAfter) {
    return new ProblemException(
        HttpStatus.TOO_MANY_REQUESTS,
        io.calsync.contract.problem.ProblemCodes.RATE_LIMITED,
        detail,
        null,
        retryAfter);
  }

  static ProblemException notFound(String detail) {
    return new ProblemException(
        HttpStatus.NOT_FOUND, io.calsync.contract.problem.ProblemCodes.NOT_FOUND, detail, null);
  }

  static ProblemException invalidParameter(String parameter, String detail) {
    return new ProblemException(
        HttpStatus.BAD_REQUEST,
        io.calsync.contract.problem.ProblemCodes.INVALID_PARAMETER,
        detail,
        parameter);
  }

  static ProblemException invalidBody(String detail) {
    return new ProblemException(
        HttpStatus.BAD_REQUEST, io.calsync.contract.problem.ProblemCodes.INVALID_BODY, detail, null);
  }

  HttpStatus status() {
    return status;
  }

  String code() {
    return code;
  }

  String parameter() {
    return parameter;
  }

  /** When to try again, for a 429; null otherwise. */
  Duration retryAfter() {
    return retryAfter;
  }
}
