package io.calsync.gateway.security;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750 (none for a
 * missing CSRF token). The detail never repeats the token or the validator's message (which can
 * quote claims).
 */
@Component
class ProblemSecurityHandlers implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

  private final ProblemWriter writer;

  ProblemSecurityHandlers(ProblemWriter writer) {
    this.writer = writer;
  }

  @Override
  public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException ex) {
    boolean invalidToken = ex instanceof InvalidBearerTokenException;
    return writer.write(
        exchange,
        invalidToken
            ? ProblemException.unauthorized(
                "The bearer token is invalid, expired or not meant for this platform.",
                "Bearer error=\"invalid_token\"")
            : ProblemException.unauthorized("A valid bearer token is required.", "Bearer"));
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    return writer.write(exchange, ProblemException.forbidden("Not allowed."));
  }

  /** A browser's state-changing request without the session's CSRF token. */
  Mono<Void> csrfRejected(ServerWebExchange exchange, AccessDeniedException denied) {
    return writer.write(exchange, ProblemException.csrfRejected());
  }
}
