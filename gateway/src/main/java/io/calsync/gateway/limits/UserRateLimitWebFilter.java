package io.calsync.gateway.limits;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The per-user request rate on {@code /api/**}, keyed by the user's {@code sub} (a bearer token's
 * or a signed-in session's). Ordered after Spring Security's filter chain (order -100), so it sees
 * the authenticated user; requests without one (the open OAuth callback and Google's notifications,
 * CORS preflights) are not counted. Over the limit: 429 problem+json {@code rate_limited} with
 * {@code Retry-After}, and nothing reaches the upstream.
 */
@Component
@Order(UserRateLimitWebFilter.ORDER)
class UserRateLimitWebFilter implements WebFilter {

  /** After Spring Security's chain (-100) and the body size check. */
  static final int ORDER = 0;

  private static final String API_PREFIX = "/api/";

  private final UserRateLimiter limiter;
  private final ProblemWriter writer;
  private final Rejections rejections;

  UserRateLimitWebFilter(UserRateLimiter limiter, ProblemWriter writer, Rejections rejections) {
    this.limiter = limiter;
    this.writer = writer;
    this.rejections = rejections;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(API_PREFIX)) {
      return chain.filter(exchange);
    }
    return exchange
        .getPrincipal()
        .filter(principal -> principal instanceof Authentication auth && auth.isAuthenticated())
        .map(principal -> limiter.tryAcquire(subject((Authentication) principal)))
        .defaultIfEmpty(0L)
        .flatMap(
            retryAfter -> retryAfter == 0 ? chain.filter(exchange) : refuse(exchange, retryAfter));
  }

  private Mono<Void> refuse(ServerWebExchange exchange, long retryAfter) {
    rejections.rateLimited();
    return writer.write(
        exchange,
        ProblemException.rateLimited(
            "Too many requests; try again in " + retryAfter + " s.", retryAfter));
  }

  /** The token's {@code sub}, or the signed-in session's (its principal is named by it). */
  private static String subject(Authentication authentication) {
    if (authentication instanceof JwtAuthenticationToken jwt
        && jwt.getToken().getSubject() != null) {
      return jwt.getToken().getSubject();
    }
    return authentication.getName();
  }
}
