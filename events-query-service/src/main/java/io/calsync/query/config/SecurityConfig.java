package io.calsync.query.config;

import io.calsync.query.problem.ProblemException;
import io.calsync.query.problem.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/**
 * Every API request needs a user JWT (issuer, signature, expiry and audience {@code calendar} are
 * checked by Boot's resource-server support from {@code
 * spring.security.oauth2.resourceserver.jwt}); only health, info and prometheus are open, and the
 * operators' {@code deadletters} endpoint needs scope {@code calendar.admin} (else 403). 401 and
 * 403 answer problem+json through {@link ProblemWriter}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  /** Operators' tokens carry scope {@code calendar.admin}. */
  static final String OPERATOR_AUTHORITY = "SCOPE_calendar.admin";

  @Bean
  SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ProblemWriter problems) {
    ServerAuthenticationEntryPoint unauthorized =
        (exchange, e) ->
            problems.write(
                exchange, ProblemException.unauthorized("A valid bearer token is required."));
    ServerAccessDeniedHandler forbidden =
        (exchange, e) -> problems.write(exchange, ProblemException.forbidden("Not allowed."));
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
                    .pathMatchers("/actuator/deadletters", "/actuator/deadletters/**")
                    .hasAuthority(OPERATOR_AUTHORITY)
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            oauth2 ->
                oauth2
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .build();
  }
}
