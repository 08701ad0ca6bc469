package io.calsync.sync.api;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.sync.publish.PublishFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/** The one place that turns failures into problem+json. User or peer input is never a 500. */
@RestControllerAdvice
class ProblemAdvice {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<Problem> problem(ProblemException e, ServerWebExchange exchange) {
    if (e.retryAfter() != null) {
      long seconds = Math.max(1, e.retryAfter().plusNanos(999_999_999L).getSeconds());
      return ResponseEntity.status(e.status())
          .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
          .contentType(Problems.PROBLEM_JSON)
          .body(Problems.problem(e.status(), e.code(), e.getMessage(), path(exchange), e.parameter()));
    }
    return Problems.response(e.status(), e.code(), e.getMessage(), path(exchange), e.parameter());
  }

  @ExceptionHandler({ServerWebInputException.class, DecodingException.class})
  ResponseEntity<Problem> badInput(Exception e, ServerWebExchange exchange) {
    return Problems.response(
        HttpStatus.BAD_REQUEST,
        ProblemCodes.INVALID_BODY,
        "The request body or a parameter could not be read.",
        path(exchange),
        null);
  }

  @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
  ResponseEntity<Problem> mediaType(Exception e, ServerWebExchange exchange) {
    return Problems.response(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        ProblemCodes.INVALID_BODY,
        "The body must be application/json.",
        path(exchange),
        null);
  }

  @ExceptionHandler(MethodNotAllowedException.class)
  ResponseEntity<Problem> method(Exception e, ServerWebExchange exchange) {
    return Problems.response(
        HttpStatus.METHOD_NOT_ALLOWED,
        ProblemCodes.METHOD_NOT_ALLOWED,
        "This method is not supported on this path.",
        path(exchange),
        null);
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<Problem> status(ResponseStatusException e, ServerWebExchange exchange) {
    HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
    if (status == null) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    if (status == HttpStatus.CONTENT_TOO_LARGE) {
      return Problems.response(
          status,
          ProblemCodes.PAYLOAD_TOO_LARGE,
          "The request body is larger than this service accepts.",
          path(exchange),
          null);
    }
    String code =
        switch (status) {
          case NOT_FOUND -> ProblemCodes.NOT_FOUND;
          case BAD_REQUEST -> ProblemCodes.INVALID_BODY;
          case METHOD_NOT_ALLOWED -> ProblemCodes.METHOD_NOT_ALLOWED;
          case TOO_MANY_REQUESTS -> ProblemCodes.RATE_LIMITED;
          default -> status.is5xxServerError() ? ProblemCodes.INTERNAL_ERROR : ProblemCodes.CONFLICT;
        };
    return Problems.response(status, code, e.getReason(), path(exchange), null);
  }

  @ExceptionHandler(DataAccessException.class)
  ResponseEntity<Problem> database(DataAccessException e, ServerWebExchange exchange) {
    log.warn("database unavailable: {}", e.getClass().getSimpleName());
    return Problems.response(
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "The sync database is unavailable.",
        path(exchange),
        null);
  }

  @ExceptionHandler(PublishFailedException.class)
  ResponseEntity<Problem> kafka(PublishFailedException e, ServerWebExchange exchange) {
    log.warn("Kafka did not acknowledge: {}", e.getMessage());
    return Problems.response(
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "The change could not be announced on Kafka; try again.",
        path(exchange),
        null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Problem> bug(Exception e, ServerWebExchange exchange) {
    log.error("unexpected failure on {}", path(exchange), e);
    return Problems.response(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ProblemCodes.INTERNAL_ERROR,
        "Internal error.",
        path(exchange),
        null);
  }

  private static String path(ServerWebExchange exchange) {
    return exchange.getRequest().getPath().value();
  }
}
