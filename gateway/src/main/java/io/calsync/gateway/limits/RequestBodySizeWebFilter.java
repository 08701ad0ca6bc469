package io.calsync.gateway.limits;

import io.calsync.gateway.problem.ProblemException;
import io.calsync.gateway.problem.ProblemWriter;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses a request whose {@code Content-Length} is above {@code calsync.limits.max-body-size} with
 * 413 problem+json {@code payload_too_large} before it is routed, so the body is never read nor
 * sent on. Ordered just after Spring Security's chain (order -100): a request without a valid token
 * still gets its 401 on a protected path, and the 413 carries the CORS headers a browser needs to
 * read it. A body without {@code Content-Length} (chunked) is not counted here: each service caps
 * what it reads ({@code spring.http.codecs.max-in-memory-size}).
 */
@Component
@Order(RequestBodySizeWebFilter.ORDER)
class RequestBodySizeWebFilter implements WebFilter {

  /**
   * After security (-100), before the per-user rate limit, so an oversized request spends no token.
   */
  static final int ORDER = -10;

  private final long maxBytes;
  private final ProblemWriter writer;
  private final Rejections rejections;

  RequestBodySizeWebFilter(
      LimitsProperties properties, ProblemWriter writer, Rejections rejections) {
    this.maxBytes = properties.maxBodySize().toBytes();
    this.writer = writer;
    this.rejections = rejections;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    long length = exchange.getRequest().getHeaders().getContentLength();
    if (length > maxBytes) {
      rejections.bodyTooLarge();
      return writer.write(
          exchange,
          ProblemException.payloadTooLarge(
              "The request body is larger than " + maxBytes + " bytes."));
    }
    return chain.filter(exchange);
  }
}
