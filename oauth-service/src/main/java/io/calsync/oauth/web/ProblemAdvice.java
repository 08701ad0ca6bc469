package io.calsync.oauth.web;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.google.GoogleOAuthException;
import io.calsync.oauth.google.GoogleUnavailableException;
import io.calsync.oauth.problem.ProblemException;
import io.calsync.oauth.problem.ProblemWriter;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * The one place where a failure of a controller, or of routing to one, becomes problem+json (RFC
 * 9457, the rule table of the root README's decision 23). {@link ProblemException}s and Spring's
 * own exceptions (unknown path, 405, 415, 413 from the codecs, unreadable input) come through
 * {@link ResponseEntityExceptionHandler}; an unavailable dependency (database, Kafka, Google,
 * Vault) is a 503 {@code upstream_unavailable}; only a bug is a 500 {@code internal_error}, and its
 * detail says nothing more. Every body gets the platform's {@code type}, {@code title}, {@code
 * code}, {@code parameter} and {@code instance}. A caller that closed the connection before the
 * answer is no failure of this service: a DEBUG line, and nothing written.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private static final Pattern REFUSED = Pattern.compile("(header|parameter): \"([^\"]*)\"");
  private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,64}");

  /** The whole detail of a 500: a bug's message never leaves the service. */
  private static final String INTERNAL_ERROR = "An unexpected error occurred.";

  @ExceptionHandler({GoogleUnavailableException.class, GoogleOAuthException.class})
  Mono<ResponseEntity<Object>> googleUnavailable(RuntimeException e, ServerWebExchange exchange) {
    log.warn("Google OAuth is unavailable: {}", e.getMessage());
    return problem(
        e,
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "Google did not answer as expected; try again later.",
        exchange);
  }

  @ExceptionHandler
  Mono<ResponseEntity<Object>> cipher(TokenCipherException e, ServerWebExchange exchange) {
    if (e.isTransient()) {
      log.warn("Token encryption is unavailable: {}", e.getMessage());
      return problem(
          e,
          HttpStatus.SERVICE_UNAVAILABLE,
          ProblemCodes.UPSTREAM_UNAVAILABLE,
          "Token encryption is unavailable; try again later.",
          exchange);
    }
    log.error("Stored token cannot be decrypted: {}", e.getMessage());
    return problem(
        e, HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, INTERNAL_ERROR, exchange);
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
  Mono<ResponseEntity<Object>> dependencyDown(Exception e, ServerWebExchange exchange) {
    log.warn("A dependency is unavailable: {}", e.toString());
    return problem(
        e,
        HttpStatus.SERVICE_UNAVAILABLE,
        ProblemCodes.UPSTREAM_UNAVAILABLE,
        "A dependency of this service is unavailable; try again later.",
        exchange);
  }

  @ExceptionHandler
  Mono<ResponseEntity<Object>> r2dbc(R2dbcException e, ServerWebExchange exchange) {
    log.error("Database error", e);
    return problem(
        e, HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, INTERNAL_ERROR, exchange);
  }

  @ExceptionHandler
  Mono<ResponseEntity<Object>> unexpected(Exception e, ServerWebExchange exchange) {
    if (isClientGone(e)) {
      log.debug(
          "Client closed the connection before the answer on {}", exchange.getRequest().getPath());
      return Mono.empty();
    }
    log.error("Unexpected error on {}", exchange.getRequest().getPath(), e);
    return problem(
        e, HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR, INTERNAL_ERROR, exchange);
  }

  /**
   * Whether the failure means the caller closed the connection before the answer (the gateway after
   * its timeout, a client leaving): Reactor Netty's {@link AbortedException}, or a reset or broken
   * pipe that {@link AbortedException#isConnectionReset} recognises, anywhere in the cause chain. A
   * lost connection to a dependency (Google or Vault over WebClient, the database) is that
   * dependency's failure, so the chain is not followed past one.
   */
  static boolean isClientGone(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof WebClientException
          || t instanceof DataAccessException
          || t instanceof R2dbcException) {
        return false;
      }
      if (t instanceof AbortedException || AbortedException.isConnectionReset(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A header or query parameter that Spring Security's firewall refused when the controller read it
   * (control characters, unassigned code points): the caller's input, a 400 naming it, never a 500.
   * Found by the fuzzer (root README, Fuzzing).
   */
  @ExceptionHandler
  Mono<ResponseEntity<Object>> refused(
      ServerExchangeRejectedException e, ServerWebExchange exchange) {
    String parameter = refusedPart(e.getMessage());
    return handleExceptionInternal(
        e,
        ProblemException.problem(
            HttpStatus.BAD_REQUEST,
            ProblemCodes.INVALID_PARAMETER,
            "The request's " + parameter + " holds characters that are not allowed.",
            parameter),
        null,
        HttpStatus.BAD_REQUEST,
        exchange);
  }

  /**
   * The header or query parameter the firewall's message names; {@code header} or {@code query}
   * when the name itself is not printable.
   */
  static String refusedPart(String message) {
    Matcher named = REFUSED.matcher(message == null ? "" : message);
    if (named.find() && PRINTABLE_NAME.matcher(named.group(2).trim()).matches()) {
      return named.group(2).trim();
    }
    return message != null && message.contains("header") ? "header" : "query";
  }

  @Override
  protected Mono<ResponseEntity<Object>> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode status,
      ServerWebExchange exchange) {
    ProblemDetail problem =
        body instanceof ProblemDetail given
            ? given
            : ex instanceof ErrorResponse error ? error.getBody() : ProblemDetail.forStatus(status);
    // explicit, as an endpoint that produces only text/event-stream would otherwise choose that
    HttpHeaders problemHeaders = new HttpHeaders();
    if (headers != null) {
      problemHeaders.addAll(headers);
    }
    problemHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return super.handleExceptionInternal(
        ex, complete(problem, ex, exchange), problemHeaders, status, exchange);
  }

  private Mono<ResponseEntity<Object>> problem(
      Exception e, HttpStatus status, String code, String detail, ServerWebExchange exchange) {
    return handleExceptionInternal(
        e, ProblemException.problem(status, code, detail, null), null, status, exchange);
  }

  /**
   * Spring's own problems get the platform's members; ours keep theirs. Every one gets the path.
   */
  private static ProblemDetail complete(
      ProblemDetail problem, Exception ex, ServerWebExchange exchange) {
    HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
    if (problem.getProperties() == null
        || !problem.getProperties().containsKey(ProblemException.CODE)) {
      String parameter = parameterOf(ex);
      String code =
          parameter != null ? ProblemCodes.INVALID_PARAMETER : ProblemException.codeOf(status);
      String detail =
          status.is5xxServerError() && status.value() != 503 && status.value() != 504
              ? INTERNAL_ERROR
              : problem.getDetail() != null
                  ? problem.getDetail()
                  : status.value() == 413
                      ? "The request body is larger than this service accepts."
                      : problem.getTitle();
      ProblemDetail completed = ProblemException.problem(status, code, detail, parameter);
      completed.setInstance(problem.getInstance());
      problem = completed;
    }
    ProblemWriter.setInstance(problem, exchange);
    return problem;
  }

  /** The request parameter a 400 of Spring's is about; null for the body or when unknown. */
  private static String parameterOf(Exception ex) {
    if (ex instanceof MissingRequestValueException missing) {
      return missing.getName();
    }
    if (!(ex instanceof ServerWebInputException input)
        || input.getStatusCode().value() != 400
        || input.getMethodParameter() == null) {
      return null;
    }
    MethodParameter parameter = input.getMethodParameter();
    RequestParam query = parameter.getParameterAnnotation(RequestParam.class);
    PathVariable path = parameter.getParameterAnnotation(PathVariable.class);
    if (query != null && !query.name().isEmpty()) {
      return query.name();
    }
    if (path != null && !path.name().isEmpty()) {
      return path.name();
    }
    return parameter.hasParameterAnnotation(RequestBody.class)
        ? null
        : parameter.getParameterName();
  }
}
