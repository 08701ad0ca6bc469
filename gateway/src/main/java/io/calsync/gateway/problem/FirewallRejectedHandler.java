package io.calsync.gateway.problem;

import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Spring Security's firewall refuses a request before any filter runs (a method outside its list,
 * {@code //}, encoded slashes or dots, control characters in the path); its default handler answers
 * an empty 400. This one answers problem+json like every other error (picked up by Spring
 * Security's {@code WebFluxSecurityConfiguration} as the one such bean).
 */
@Component
class FirewallRejectedHandler implements ServerExchangeRejectedHandler {

  private final ProblemWriter writer;

  FirewallRejectedHandler(ProblemWriter writer) {
    this.writer = writer;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
    return writer.write(exchange, ProblemException.rejected(rejected.getMessage()));
  }
}
