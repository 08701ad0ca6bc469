package io.calsync.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import io.calsync.gateway.problem.UpstreamFailures;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where the circuit breakers forward when an upstream fails: 504 {@code upstream_timeout} when it
 * did not answer in time, 503 {@code upstream_unavailable} otherwise (refused, reset, breaker
 * open). Reached only by the gateway's internal forward; {@link NonPublicPathsWebFilter} hides it
 * from clients.
 */
@RestController
class FallbackController {

  static final Set<String> SERVICES =
      Set.of("oauth-service", "sync-service", "events-query-service");

  private final ProblemWriter writer;

  FallbackController(ProblemWriter writer) {
    this.writer = writer;
  }

  @RequestMapping(NonPublicPathsWebFilter.FALLBACK_PREFIX + "{service}")
  Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
    String name = SERVICES.contains(service) ? service : "upstream service";
    Throwable failure = exchange.getAttribute(CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
    String instance = originalPath(exchange);
    ProblemException problem =
        failure != null && UpstreamFailures.isTimeout(failure)
            ? ProblemException.upstreamTimeout(name + " did not answer in time.")
            : ProblemException.upstreamUnavailable(name + " is unavailable.");
    return writer.write(exchange, problem.at(instance));
  }

  /** The path the client asked for, not the fallback's own path. */
  private static String originalPath(ServerWebExchange exchange) {
    String path = exchange.getAttribute(TrailingSlashWebFilter.PUBLIC_PATH_ATTR);
    return path != null ? path : exchange.getRequest().getPath().value();
  }
}
