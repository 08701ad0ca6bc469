package io.calsync.gateway.problem;

import io.calsync.contract.problem.ProblemCodes;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.oauth2.client.ClientAuthorizationException;
import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * Problem+json for every error the gateway itself raises (its routes are not controllers, so this
 * {@code WebExceptionHandler} is the gateway's one advice): no route or resource (404), method not
 * allowed (405), a session whose access token the issuer will not renew (401; 503 when the issuer
 * fails), an upstream that cannot be reached outside a circuit breaker (503) or that timed out
 * (504), each as a {@link ProblemException} written by {@link ProblemWriter}. Anything else is a
 * 500 {@code internal_error} that says nothing more. Ordered before Boot's default handler ({@link
 * ErrorWebFluxAutoConfiguration}, order -1), so no HTML or Whitelabel body ever leaves the gateway.
 */
@Component
@Order(-2)
class ProblemErrorWebExceptionHandler
    implements org.springframework.boot.webflux.error.ErrorWebExceptionHandler {

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
    if (UpstreamFailures.hasCause(ex, AbortedException.class)) {
      // the browser or client closed the connection before the answer: nobody to tell, no failure
      log.debug(
          "client closed the connection before the answer on {}",
          exchange.getRequest().getPath().value());
      return Mono.empty();
    }
    return writer.write(
        exchange,
        problem(
            ex, exchange.getRequest().getMethod().name(), exchange.getRequest().getPath().value()));
  }

  private static ProblemException problem(Throwable ex, String method, String path) {
    if (ex instanceof ProblemException problem) {
      return problem;
    }
    if (ex instanceof ServerExchangeRejectedException rejected) {
      // a header or query parameter the firewall refused when something read it
      return ProblemException.rejected(rejected.getMessage());
    }
    if (ex instanceof ClientAuthorizationException refused) {
      return sessionTokenNotRenewed(refused);
    }
    if (UpstreamFailures.isTimeout(ex)) {
      return ProblemException.upstreamTimeout(
          "The service behind " + path + " did not answer in time.");
    }
    if (ex instanceof ErrorResponse error) {
      return problem(error.getStatusCode(), method, path);
    }
    if (ex instanceof CallNotPermittedException
        || UpstreamFailures.hasCause(ex, IOException.class)) {
      return ProblemException.upstreamUnavailable(
          "The service behind " + path + " is unavailable.");
    }
    log.error("Unhandled error for {} {}", method, path, ex);
    return internalError();
  }

  /**
   * A session's access token has expired and could not be renewed. Refused by the issuer (the grant
   * was revoked, the refresh token expired, or the session lost it): the browser signs in again.
   * Anything else (the issuer down or answering nonsense) is the issuer's failure: 503.
   */
  private static ProblemException sessionTokenNotRenewed(ClientAuthorizationException refused) {
    String code = refused.getError().getErrorCode();
    log.info("A session's access token could not be renewed: {}", code);
    if (refused instanceof ClientAuthorizationRequiredException
        || OAuth2ErrorCodes.INVALID_GRANT.equals(code)
        || OAuth2ErrorCodes.UNAUTHORIZED_CLIENT.equals(code)) {
      return ProblemException.unauthorized("Your sign-in has expired; sign in again.", "Bearer");
    }
    return ProblemException.upstreamUnavailable("The sign-in service is unavailable.");
  }

  private static ProblemException problem(HttpStatusCode statusCode, String method, String path) {
    HttpStatus status = HttpStatus.resolve(statusCode.value());
    if (status == null) {
      status =
          statusCode.is4xxClientError() ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
    }
    return switch (status) {
      case NOT_FOUND -> ProblemException.notFound("No resource at " + path + ".");
      case METHOD_NOT_ALLOWED ->
          new ProblemException(
              status,
              ProblemCodes.METHOD_NOT_ALLOWED,
              method + " is not supported on " + path + ".");
      case UNAUTHORIZED ->
          ProblemException.unauthorized("A valid bearer token is required.", "Bearer");
      case FORBIDDEN -> ProblemException.forbidden("Not allowed.");
      case CONFLICT ->
          new ProblemException(
              status, ProblemCodes.CONFLICT, "The request conflicts with the resource's state.");
      case CONTENT_TOO_LARGE -> ProblemException.payloadTooLarge("The request body is too large.");
      case TOO_MANY_REQUESTS ->
          new ProblemException(status, ProblemCodes.RATE_LIMITED, "Too many requests.");
      case BAD_GATEWAY, SERVICE_UNAVAILABLE ->
          ProblemException.upstreamUnavailable("The service behind " + path + " is unavailable.");
      case GATEWAY_TIMEOUT ->
          ProblemException.upstreamTimeout(
              "The service behind " + path + " did not answer in time.");
      default ->
          status.is4xxClientError()
              ? new ProblemException(
                  status,
                  ProblemCodes.INVALID_BODY,
                  "The request could not be processed (" + status.getReasonPhrase() + ").")
              : internalError();
    };
  }

  private static ProblemException internalError() {
    return new ProblemException(
        HttpStatus.INTERNAL_SERVER_ERROR,
        ProblemCodes.INTERNAL_ERROR,
        "An internal error occurred.");
  }
}
