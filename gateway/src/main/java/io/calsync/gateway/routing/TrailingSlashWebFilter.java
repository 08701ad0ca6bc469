package io.calsync.gateway.routing;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The public paths keep the trailing slash of the original contract ({@code
 * /api/calendar/connections/}). A request without it is served the same: before security and
 * routing, the slash is appended to every {@code /api/} path that lacks one, so the services only
 * ever see the canonical form and a client never gets a 404 or a redirect (which would drop a POST
 * body or an Authorization header).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TrailingSlashWebFilter implements WebFilter {

  static final String API_PREFIX = "/api/";

  /**
   * The canonical path the client asked for, kept for problems written after an internal forward.
   */
  static final String PUBLIC_PATH_ATTR = TrailingSlashWebFilter.class.getName() + ".publicPath";

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String rawPath = request.getPath().value();
    String canonical = canonical(rawPath);
    exchange.getAttributes().put(PUBLIC_PATH_ATTR, canonical);
    if (canonical.equals(rawPath)) {
      return chain.filter(exchange);
    }
    ServerHttpRequest mutated = request.mutate().path(canonical).build();
    return chain.filter(exchange.mutate().request(mutated).build());
  }

  static String canonical(String path) {
    if (path.startsWith(API_PREFIX) && !path.endsWith("/")) {
      return path + "/";
    }
    return path;
  }
}
