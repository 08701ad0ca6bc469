package io.calsync.gateway.problem;

import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the gateway's own errors: the {@link ProblemDetail} of a {@link ProblemException} as
 * {@code application/problem+json}, serialised by the application's {@link JsonMapper} (Spring's
 * problem mixin, the contract's settings), its headers, and {@code instance} = the request path
 * unless the problem names one. Used by the security handlers, the limit filters, the fallbacks and
 * the error handler, so every error the gateway itself produces has the services' shape.
 */
@Component
public class ProblemWriter {

  private final JsonMapper mapper;

  ProblemWriter(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** Writes the problem unless the response is already committed. */
  public Mono<Void> write(ServerWebExchange exchange, ProblemException problem) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    ProblemDetail body = problem.getBody();
    if (body.getInstance() == null) {
      body.setInstance(URI.create(exchange.getRequest().getPath().value()));
    }
    response.setStatusCode(problem.getStatusCode());
    HttpHeaders headers = response.getHeaders();
    problem.getHeaders().forEach(headers::put);
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.remove(HttpHeaders.CONTENT_LENGTH);
    return response.writeWith(
        Mono.fromSupplier(() -> response.bufferFactory().wrap(mapper.writeValueAsBytes(body))));
  }
}
