package io.calsync.oauth.config;

import io.calsync.contract.http.ApiPaths;
import io.calsync.oauth.problem.ProblemException;
import io.calsync.oauth.problem.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/**
 * Every request carries a JWT (issuer, signature, expiry and an audience of ours checked by Boot's
 * resource-server support), except the health and metrics endpoints and the OAuth callback, whose
 * credential is the single-use {@code state} with its browser-binding cookie. The public API needs
 * a user token (audience {@code calendar}); the internal API a service token of an allowed client
 * ({@link InternalCallers}); the operators' actuator endpoint {@code connections} a token with
 * scope {@code calendar.admin}. A valid token of the wrong kind is a 403. 401 and 403 answer
 * problem+json through {@link ProblemWriter}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfig {

  /** The scope of operators' tokens, as Spring Security's authority. */
  static final String OPERATOR_AUTHORITY = "SCOPE_calendar.admin";

  /** The operators' actuator endpoints, on the management port. */
  private static final String[] OPERATOR_PATHS = {
    "/actuator/connections", "/actuator/connections/**"
  };

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, ProblemWriter problems, InternalApiProperties internalApi) {
    ServerAuthenticationEntryPoint unauthorized =
        (exchange, e) ->
            problems.write(
                exchange, ProblemException.unauthorized("A valid bearer token is required."));
    ServerAccessDeniedHandler forbidden =
        (exchange, e) ->
            problems.write(
                exchange, ProblemException.forbidden("The token does not allow this operation."));
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/actuator/prometheus")
                    .permitAll()
                    .pathMatchers(OPERATOR_PATHS)
                    .hasAuthority(OPERATOR_AUTHORITY)
                    .pathMatchers(HttpMethod.GET, ApiPaths.CALLBACK, stripSlash(ApiPaths.CALLBACK))
                    .permitAll()
                    .pathMatchers("/internal/**")
                    .access(InternalCallers.internalApi(internalApi))
                    .anyExchange()
                    .access(InternalCallers.userApi()))
        .exceptionHandling(
            handling ->
                handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .build();
  }

  private static String stripSlash(String path) {
    return path.substring(0, path.length() - 1);
  }
}
