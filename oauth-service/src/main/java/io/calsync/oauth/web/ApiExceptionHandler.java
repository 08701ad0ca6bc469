package io.calsync.oauth.web;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.oauth.connect.TooManyPendingFlowsException;
import io.calsync.oauth.domain.ConnectionNotFoundException;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.google.GoogleOAuthException;
import io.calsync.oauth.google.GoogleUnavailableException;
import io.calsync.oauth.problem.InvalidParameterException;
import io.calsync.oauth.problem.Problems;
import io.calsync.oauth.token.ReauthRequiredException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/**
 * The one place where failures become RFC 9457 problem details with a stable {@code code}. Bad input
 * is a 400 naming the parameter; an unavailable dependency (database, Kafka, Google, Vault) a 503;
 * only a bug is a 500, and its body says nothing more.
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler
  ResponseEntity<Problem> invalidParameter(InvalidParameterException e) {
    return Problems.response(
        HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, e.getMessage(), e.parameter());
  }

  @ExceptionHandler
  ResponseEntity<Problem> webInput(ServerWebInputException e) {
    MethodParameter parameter = e.getMethodParameter();
    String name = parameter == null ? null : parameter.getParameterName();
    if (name == null) {
      return Problems.response(
          HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_BODY, "The request body is not valid.");
    }
    return Problems.response(
        HttpStatus.BAD_REQUEST,
        ProblemCodes.INVALID_PARAMETER,
        "Parameter '" + name + "' is missing or malformed.",
        name);
  }

  @ExceptionHandler
  ResponseEntity<Problem> notFound(ConnectionNotFoundException e) {
    return Problems.response(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<Problem> tooManyPendingFlows(TooManyPendingFlowsException e) {
    return Problems.tooManyRequests(ProblemCodes.LIMIT_EXCEEDED, e.getMessage(), e.retryAfter());
  }

  @ExceptionHandler
  ResponseEntity<Problem> reauthRequired(ReauthRequiredException e) {
    return Problems.response(HttpStatus.CONFLICT, ProblemCodes.REAUTH_REQUIRED, e.getMessage());
  }

  @ExceptionHandler({GoogleUnavailableException.class, GoogleOAuthException.class})
  ResponseEntity<Problem> googleUnavailable(RuntimeException e) {
    log.warn("Google OAuth is unavailable: {}", e.getMessage());
    return Problems.response(
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "Google did not answer as expected; try again later.");
  }

  @ExceptionHandler
  ResponseEntity<Problem> cipher(TokenCipherException e) {
    if (e.isTransient()) {
      log.warn("Token encryption is unavailable: {}", e.getMessage());
      return Problems.response(
          HttpStatus.SERVICE_UNAVAILABLE,
          ProblemCodes.UPSTREAM_UNAVAILABLE,
          "Token encryption is unavailable; try again later.");
    }
    log.error("Stored token cannot be decrypted: {}", e.getMessage());
    return internal();
  }

  @ExceptionHandler({
    DataAccessResourceFailureException.class,
    TransientDataAccessException.class,
    QueryTimeoutException.class,
    CannotCreateTransactionException.class,
    R2dbcTransientResourceException.class,
    R2dbcNonTransientResourceException.class,
    KafkaException.class,
    TimeoutException.class
  })
  ResponseEntity<Problem> dependencyDown(Exception e) {
    log.warn("A dependency is unavailable: {}", e.toString());
    return Problems.response(
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "A dependency of this service is unavailable; try again later.");
  }

  @ExceptionHandler
  ResponseEntity<Problem> r2dbc(R2dbcException e) {
    log.error("Database error", e);
    return internal();
  }

  @ExceptionHandler
  ResponseEntity<Problem> methodNotAllowed(MethodNotAllowedException e) {
    return Problems.response(
        HttpStatus.METHOD_NOT_ALLOWED,
        ProblemCodes.METHOD_NOT_ALLOWED,
        "Method " + e.getHttpMethod() + " is not supported here.");
  }

  @ExceptionHandler
  ResponseEntity<Problem> responseStatus(ResponseStatusException e) {
    HttpStatusCode status = e.getStatusCode();
    HttpStatus resolved = HttpStatus.resolve(status.value());
    if (resolved == null || status.is5xxServerError()) {
      log.error("Unexpected server error", e);
      return internal();
    }
    String code =
        switch (resolved) {
          case NOT_FOUND -> ProblemCodes.NOT_FOUND;
          case METHOD_NOT_ALLOWED -> ProblemCodes.METHOD_NOT_ALLOWED;
          case UNAUTHORIZED -> ProblemCodes.UNAUTHORIZED;
          case FORBIDDEN -> ProblemCodes.FORBIDDEN;
          case CONFLICT -> ProblemCodes.CONFLICT;
          case TOO_MANY_REQUESTS -> ProblemCodes.RATE_LIMITED;
          case CONTENT_TOO_LARGE -> ProblemCodes.PAYLOAD_TOO_LARGE;
          default -> ProblemCodes.INVALID_BODY;
        };
    String detail = e.getReason() != null ? e.getReason() : resolved.getReasonPhrase();
    return Problems.response(resolved, code, detail);
  }

  @ExceptionHandler
  ResponseEntity<Problem> unexpected(Exception e) {
    log.error("Unexpected error", e);
    return internal();
  }

  private static ResponseEntity<Problem> internal() {
    return Problems.response(
        HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, "An unexpected error occurred.");
  }
}
