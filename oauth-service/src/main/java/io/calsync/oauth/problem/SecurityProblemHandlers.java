package io.calsync.oauth.problem;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 from Spring Security as problem+json, like every other error of this service. */
public final class SecurityProblemHandlers {

  private final JsonMapper jsonMapper;

  public SecurityProblemHandlers(JsonMapper jsonMapper) {
    this.jsonMapper = jsonMapper;
  }

  public ServerAuthenticationEntryPoint authenticationEntryPoint() {
    return (exchange, e) -> {
      exchange
          .getResponse()
          .getHeaders()
          .set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"calendar\"");
      return write(
          exchange,
          Problems.problem(
              HttpStatus.UNAUTHORIZED,
              ProblemCodes.UNAUTHORIZED,
              "A valid bearer token is required.",
              null));
    };
  }

  public ServerAccessDeniedHandler accessDeniedHandler() {
    return (exchange, e) ->
        write(
            exchange,
            Problems.problem(
                HttpStatus.FORBIDDEN,
                ProblemCodes.FORBIDDEN,
                "The token does not allow this operation.",
                null));
  }

  private Mono<Void> write(ServerWebExchange exchange, Problem problem) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(HttpStatus.valueOf(problem.status()));
    response.getHeaders().setContentType(Problems.PROBLEM_JSON);
    byte[] body = jsonMapper.writeValueAsBytes(problem);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }
}
