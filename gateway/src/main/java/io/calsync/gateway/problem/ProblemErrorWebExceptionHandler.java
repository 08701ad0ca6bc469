package io.calsync.gateway.problem;

import io.calsync.contract.problem.ProblemCodes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Problem+json for every error the gateway itself raises: no route or resource (404), method not
 * allowed (405), an upstream that cannot be reached outside a circuit breaker (503) or that timed out
 * (504). Anything else is a 500 {@code internal_error} that says nothing more. Ordered before Boot's
 * default handler ({@link ErrorWebFluxAutoConfiguration}, order -1), so no HTML or Whitelabel body
 * ever leaves the gateway.
 */
@Component
@Order(-2)
class ProblemErrorWebExceptionHandler implements org.springframework.boot.webflux.error.ErrorWebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

  private final ProblemWriter writer;

  ProblemErrorWebExceptionHandler(ProblemWriter writer) {
    this.writer = writer;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    if (exchange.getResponse().isCommitted()) {
      return Mono.error(ex);
    }
    String method = exchange.getRequest().getMethod().name();
    String path = exchange.getRequest().getPath().value();
    if (UpstreamFailures.isTimeout(ex)) {
      return writer.write(exchange, HttpStatus.GATEWAY_TIMEOUT, ProblemCodes.UPSTREAM_TIMEOUT,
          "The service behind " + path + " did not answer in time.");
    }
    if (ex instanceof ResponseStatusException rse) {
      return writeStatus(exchange, rse.getStatusCode(), method, path);
    }
    if (ex instanceof CallNotPermittedException || UpstreamFailures.hasCause(ex, IOException.class)) {
      return writer.write(exchange, HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE,
          "The service behind " + path + " is unavailable.");
    }
    log.error("Unhandled error for {} {}", method, path, ex);
    return writer.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, ProblemCodes.INTERNAL_ERROR,
        "An internal error occurred.");
  }

  private Mono<Void> writeStatus(ServerWebExchange exchange, HttpStatusCode statusCode, String method, String path) {
    HttpStatus status = HttpStatus.resolve(statusCode.value());
    if (status == null) {
      status = statusCode.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
    }
    String code;
    String detail;
    switch (status) {
      case NOT_FOUND -> {
        code = ProblemCodes.NOT_FOUND;
        detail = "No resource at " + path + ".";
      }
      case METHOD_NOT_ALLOWED -> {
        code = ProblemCodes.METHOD_NOT_ALLOWED;
        detail = method + " is not supported on " + path + ".";
      }
      case UNAUTHORIZED -> {
        code = ProblemCodes.UNAUTHORIZED;
        detail = "A valid bearer token is required.";
      }
      case FORBIDDEN -> {
        code = ProblemCodes.FORBIDDEN;
        detail = "Not allowed.";
      }
      case CONFLICT -> {
        code = ProblemCodes.CONFLICT;
        detail = "The request conflicts with the resource's state.";
      }
      case CONTENT_TOO_LARGE -> {
        code = ProblemCodes.PAYLOAD_TOO_LARGE;
        detail = "The request body is too large.";
      }
      case TOO_MANY_REQUESTS -> {
        code = ProblemCodes.RATE_LIMITED;
        detail = "Too many requests.";
      }
      case BAD_GATEWAY, SERVICE_UNAVAILABLE -> {
        status = HttpStatus.SERVICE_UNAVAILABLE;
        code = ProblemCodes.UPSTREAM_UNAVAILABLE;
        detail = "The service behind " + path + " is unavailable.";
      }
      case GATEWAY_TIMEOUT -> {
        code = ProblemCodes.UPSTREAM_TIMEOUT;
        detail = "The service behind " + path + " did not answer in time.";
      }
      default -> {
        if (status.is4xxClientError()) {
          code = ProblemCodes.INVALID_BODY;
          detail = "The request could not be processed (" + status.getReasonPhrase() + ").";
        } else {
          status = HttpStatus.INTERNAL_SERVER_ERROR;
          code = ProblemCodes.INTERNAL_ERROR;
          detail = "An internal error occurred.";
        }
      }
    }
    return writer.write(exchange, status, code, detail);
  }
}
