package io.calsync.gateway.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import io.calsync.gateway.problem.UpstreamFailures;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(FallbackController.class);

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
    logFailure(name, exchange, failure);
    ProblemException problem =
        failure != null && UpstreamFailures.isTimeout(failure)
            ? ProblemException.upstreamTimeout(name + " did not answer in time.")
            : ProblemException.upstreamUnavailable(name + " is unavailable.");
    return writer.write(exchange, problem.at(instance));
  }

  /**
   * One line per failed call, naming the exception (an I/O message names a host and port, never a
   * token), so that an operator reading a 503 can tell a refused connection from a reset or a
   * timeout. A call refused by an open breaker is DEBUG: the breaker's state is in the metrics, and
   * a dead upstream must not write a line per request.
   */
  private static void logFailure(String name, ServerWebExchange exchange, Throwable failure) {
    String request = exchange.getRequest().getMethod() + " " + originalPath(exchange);
    if (failure == null || failure instanceof CallNotPermittedException) {
      log.debug("{} not called for {}: {}", name, request, UpstreamFailures.describe(failure));
    } else {
      log.warn("{} failed for {}: {}", name, request, UpstreamFailures.describe(failure));
    }
  }

  /** The path the client asked for, not the fallback's own path. */
  private static String originalPath(ServerWebExchange exchange) {
    String path = exchange.getAttribute(TrailingSlashWebFilter.PUBLIC_PATH_ATTR);
    return path != null ? path : exchange.getRequest().getPath().value();
  }
}
