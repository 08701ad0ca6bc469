package io.calsync.gateway.security;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750. The detail
 * never repeats the token or the validator's message (which can quote claims).
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
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
        invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer");
    String detail = invalidToken
        ? "The bearer token is invalid, expired or not meant for this platform."
        : "A valid bearer token is required.";
    return writer.write(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, detail);
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
    exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
    return writer.write(exchange, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "Not allowed.");
  }
}
