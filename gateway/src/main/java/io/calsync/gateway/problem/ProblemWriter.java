package io.calsync.gateway.problem;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the gateway's own errors as {@code application/problem+json} (RFC 9457) with a stable
 * {@code code} from {@link ProblemCodes}. Used by the security handlers, the fallbacks and the error
 * handler, so every error the gateway itself produces has the same shape.
 */
@Component
public class ProblemWriter {

  public static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  private final JsonMapper mapper;

  ProblemWriter(JsonMapper mapper) {
    this.mapper = mapper;
  }

  public static Problem problem(HttpStatus status, String code, String detail, String instance) {
    return new Problem(
        ProblemCodes.type(code), status.getReasonPhrase(), status.value(), detail, instance, code, null);
  }

  public byte[] toBytes(Problem problem) {
    return mapper.writeValueAsBytes(problem);
  }

  /** Writes the problem unless the response is already committed. */
  public Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String code, String detail) {
    return write(exchange, status, code, detail, exchange.getRequest().getPath().value());
  }

  /** Writes the problem with an explicit {@code instance} (the path the client asked for). */
  public Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String code, String detail, String instance) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    Problem problem = problem(status, code, detail, instance);
    response.setStatusCode(status);
    HttpHeaders headers = response.getHeaders();
    headers.setContentType(PROBLEM_JSON);
    headers.remove(HttpHeaders.CONTENT_LENGTH);
    return Mono.defer(
        () -> {
          DataBuffer buffer = response.bufferFactory().wrap(toBytes(problem));
          return response.writeWith(Mono.just(buffer));
        });
  }
}
