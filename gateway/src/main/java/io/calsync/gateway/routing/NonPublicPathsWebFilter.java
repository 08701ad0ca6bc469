package io.calsync.gateway.routing;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code /internal/**} (service-to-service API) is never reachable through the gateway, whatever
 * routes exist, and the circuit-breaker fallbacks under {@code /fallback/} are only reached by the
 * gateway's internal forward (which does not pass through web filters). Both answer 404
 * problem+json, exactly like a path that does not exist.
 */
@Component
@Order(NonPublicPathsWebFilter.ORDER)
class NonPublicPathsWebFilter implements WebFilter {

  /**
   * Right after Spring Security's filter chain (order -100, {@code WebFluxSecurityConfiguration}),
   * so that these 404s carry the security headers too.
   */
  static final int ORDER = -99;

  static final String INTERNAL_PREFIX = "/internal/";
  static final String FALLBACK_PREFIX = "/fallback/";

  private final ProblemWriter writer;

  NonPublicPathsWebFilter(ProblemWriter writer) {
    this.writer = writer;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().pathWithinApplication().value();
    if (isNonPublic(path)) {
      return writer.write(exchange, ProblemException.notFound("No resource at " + path + "."));
    }
    return chain.filter(exchange);
  }

  static boolean isNonPublic(String path) {
    return startsWithSegment(path, INTERNAL_PREFIX) || startsWithSegment(path, FALLBACK_PREFIX);
  }

  private static boolean startsWithSegment(String path, String prefix) {
    // "/internal" and "/internal/..." both count; "/internals" does not.
    return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
  }
}
