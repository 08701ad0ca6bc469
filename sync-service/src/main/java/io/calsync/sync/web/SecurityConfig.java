package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/**
 * Every API call needs a JWT (issuer, signature, expiry and audience {@code calendar} are checked
 * by Boot's resource-server support from {@code spring.security.oauth2.resourceserver.jwt.*}).
 * Open: health, info, prometheus and Google's push webhook, which carries its own channel token.
 * The operator endpoints of the management port ({@link ResyncEndpoint}, {@link
 * DeadLettersEndpoint}) need scope {@code calendar.admin} as well: any other token is a 403. 401
 * and 403 answer problem+json through {@link ProblemWriter}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  /** The scope of operators' tokens ({@code calendar.admin}) as Spring Security's authority. */
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
            ex ->
                ex.pathMatchers(
                        "/actuator/health/**",
                        "/actuator/health",
                        "/actuator/info",
                        "/actuator/prometheus")
                    .permitAll()
                    .pathMatchers(
                        ResyncEndpoint.PATH,
                        ResyncEndpoint.PATH + "/**",
                        DeadLettersEndpoint.PATH,
                        DeadLettersEndpoint.PATH + "/**")
                    .hasAuthority(OPERATOR_AUTHORITY)
                    .pathMatchers(
                        HttpMethod.POST,
                        ApiPaths.GOOGLE_NOTIFICATIONS,
                        trimmed(ApiPaths.GOOGLE_NOTIFICATIONS))
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .oauth2ResourceServer(
            rs ->
                rs.jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            eh -> eh.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .build();
  }

  static String trimmed(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
