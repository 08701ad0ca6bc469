package io.calsync.query.problem;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.query.QueryProperties;
import io.calsync.query.stream.domain.TooManyStreamsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * The one place that turns failures into {@code application/problem+json} (RFC 9457): 400 naming the
 * parameter, 404/405 for unknown routes, 413 for a body above the codecs' limit, 429 with {@code
 * Retry-After} for one stream too many, 503 {@code upstream_unavailable} when the database cannot
 * be reached, and a bare 500 {@code internal_error} that says nothing more for anything else.
 */
@RestControllerAdvice
class ProblemAdvice {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private final QueryProperties properties;

  ProblemAdvice(QueryProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(TooManyStreamsException.class)
  ResponseEntity<Problem> tooManyStreams(TooManyStreamsException e) {
    long seconds = Math.max(1, properties.stream().retryAfter().toSeconds());
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
        .contentType(Problems.PROBLEM_JSON)
        .body(Problems.problem(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.LIMIT_EXCEEDED, e.getMessage(), null));
  }

  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<Problem> invalidParameter(InvalidParameterException e) {
    return Problems.response(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, e.getMessage(), e.parameter());
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<Problem> invalidInput(ServerWebInputException e) {
    String parameter = e.getMethodParameter() != null ? e.getMethodParameter().getParameterName() : null;
    return Problems.response(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, e.getReason(), parameter);
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<Problem> status(ResponseStatusException e) {
    return Problems.response(e.getStatusCode(), Problems.codeOf(e.getStatusCode()), e.getReason(), null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Problem> other(Exception e) {
    if (Problems.isUnavailable(e)) {
      log.warn("Database unavailable: {}", e.toString());
      return Problems.response(
          HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE, "The events database is unavailable; try again shortly.", null);
    }
    log.error("Unexpected failure", e);
    return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "Internal error.", null);
  }
}
