package io.calsync.oauth.problem;

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
 * Writes the problems of requests that never reach a controller (Spring Security's 401 and 403) in
 * the shape {@code web.ProblemAdvice} answers: the {@link ProblemDetail} of a {@link
 * ProblemException}, serialised by the application's {@link JsonMapper} (the one the HTTP codecs
 * use), its headers, and {@code instance} = the request path.
 */
@Component
public class ProblemWriter {

  private final JsonMapper json;

  ProblemWriter(JsonMapper json) {
    this.json = json;
  }

  public Mono<Void> write(ServerWebExchange exchange, ProblemException problem) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    ProblemDetail body = problem.getBody();
    setInstance(body, exchange);
    response.setStatusCode(problem.getStatusCode());
    HttpHeaders headers = response.getHeaders();
    problem.getHeaders().forEach(headers::put);
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    headers.remove(HttpHeaders.CONTENT_LENGTH);
    return response.writeWith(
        Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
  }

  /** {@code instance} is the path the client asked for, unless the problem already names one. */
  public static void setInstance(ProblemDetail problem, ServerWebExchange exchange) {
    if (problem.getInstance() == null) {
      problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
    }
  }
}
