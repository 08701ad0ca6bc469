package io.calsync.gateway.limits;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose {@code Content-Length} is above {@code calsync.limits.max-body-size} with 413
 * problem+json {@code payload_too_large}, before authentication and routing, so the body is never read
 * nor sent on. A body without {@code Content-Length} (chunked) is not counted here: each service caps
 * what it reads ({@code spring.http.codecs.max-in-memory-size}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RequestBodySizeWebFilter implements WebFilter {

  private final long maxBytes;
  private final ProblemWriter writer;

  RequestBodySizeWebFilter(LimitsProperties properties, ProblemWriter writer) {
    this.maxBytes = properties.maxBodySize().toBytes();
    this.writer = writer;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    if (length > maxBytes) {
      return writer.write(exchange, HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE,
          "The request body is larger than " + maxBytes + " bytes.");
    }
    return chain.filter(exchange);
  }
}
