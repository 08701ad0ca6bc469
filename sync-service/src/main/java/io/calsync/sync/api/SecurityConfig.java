package io.calsync.sync.api;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.problem.ProblemCodes;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every API call needs a JWT (issuer, signature, expiry and audience {@code calendar} are checked
 * by Boot's resource-server support from {@code spring.security.oauth2.resourceserver.jwt.*}). Open:
 * health, info, prometheus and Google's push webhook, which carries its own channel token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  private static final JsonMapper JSON = CalendarJson.mapper();

  @Bean
  SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .authorizeExchange(
            ex ->
                ex.pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                        "/actuator/prometheus")
                    .permitAll()
                    .pathMatchers(HttpMethod.POST, ApiPaths.GOOGLE_NOTIFICATIONS,
                        trimmed(ApiPaths.GOOGLE_NOTIFICATIONS))
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            rs ->
                rs.jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(
                        (exchange, e) ->
                            write(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                                "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) ->
                            write(exchange, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN,
                                "Not allowed.")))
        .exceptionHandling(
            eh ->
                eh.authenticationEntryPoint(
                        (exchange, e) ->
                            write(exchange, HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED,
                                "A valid bearer token is required."))
                    .accessDeniedHandler(
                        (exchange, e) ->
                            write(exchange, HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN,
                                "Not allowed.")))
        .build();
  }

  static String trimmed(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String code, String detail) {
    var response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().setContentType(Problems.PROBLEM_JSON);
    if (status == HttpStatus.UNAUTHORIZED) {
      response.getHeaders().set("WWW-Authenticate", "Bearer");
    }
    byte[] body =
        JSON.writeValueAsString(
                Problems.problem(status, code, detail, exchange.getRequest().getPath().value(),
                    null))
            .getBytes(StandardCharsets.UTF_8);
    DataBuffer buffer = response.bufferFactory().wrap(body);
    return response.writeWith(Mono.just(buffer));
  }
}
