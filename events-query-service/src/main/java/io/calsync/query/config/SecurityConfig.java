package io.calsync.query.config;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.query.problem.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every API request needs a user JWT (issuer, signature, expiry and audience {@code calendar} are
 * checked by Boot's resource-server support from {@code spring.security.oauth2.resourceserver.jwt});
 * only health, info and prometheus are open. 401 and 403 answer problem+json.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  @Bean
  SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, JsonMapper json) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            oauth2 ->
                oauth2
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            write(exchange, json, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) ->
                            write(exchange, json, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "Not allowed.")))
        .exceptionHandling(
            ex ->
                ex.authenticationEntryPoint(
                        (exchange, e) ->
                            write(exchange, json, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) -> write(exchange, json, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, "Not allowed.")))
        .build();
  }

  private static Mono<Void> write(
      ServerWebExchange exchange, JsonMapper json, HttpStatus status, String code, String detail) {
    var response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(Problems.PROBLEM_JSON);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.getHeaders().set("WWW-Authenticate", "Bearer");
    }
    byte[] body = json.writeValueAsBytes(Problems.problem(status, code, detail, null));
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }
}
