package io.calsync.gateway.routing;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One line per request routed to a service, in the request's trace (its trace and span ids lead the
 * line): the method, the route and the status, never the path, query or a header (which may carry
 * codes, tokens or what a caller typed). Logger {@code io.calsync.gateway.routed}, at DEBUG, so off
 * unless asked for ({@code LOGGING_LEVEL_IO_CALSYNC_GATEWAY_ROUTED=DEBUG}; the local stack asks): a
 * line per request, written on the event loop, queues every event loop behind the console
 * appender's lock under load, which BlockHound caught in CI with a hundred concurrent calls (root
 * README, Tracing).
 */
@Component
class RoutedRequestLogFilter implements GlobalFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger("io.calsync.gateway.routed");
  private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    if (!log.isDebugEnabled()) {
      return chain.filter(exchange);
    }
    return Mono.deferContextual(
        context ->
            chain
                .filter(exchange)
                .doFinally(
                    signal -> {
                      // the request's observation from the Reactor context: its ids in the MDC
                      try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
                        Route route =
                            exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
                        HttpStatusCode status = exchange.getResponse().getStatusCode();
                        log.debug(
                            "Routed {} to {}: {}",
                            exchange.getRequest().getMethod(),
                            route == null ? "?" : route.getId(),
                            status == null ? signal : status.value());
                      }
                    }));
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
