package io.calsync.oauth.config;

import io.calsync.contract.http.ApiPaths;
import io.calsync.oauth.problem.SecurityProblemHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request carries a JWT (issuer, signature, expiry and an audience of ours checked by Boot's
 * resource-server support), except the health and metrics endpoints and the OAuth callback, whose
 * credential is the single-use {@code state} with its browser-binding cookie. The public API needs a
 * user token (audience {@code calendar}); the internal API a service token of an allowed client
 * ({@link InternalCallers}). A valid token of the wrong kind is a 403.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfig {

  @Bean
  SecurityProblemHandlers securityProblemHandlers(JsonMapper jsonMapper) {
    return new SecurityProblemHandlers(jsonMapper);
  }

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, SecurityProblemHandlers problems, InternalApiProperties internalApi) {
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
                    .pathMatchers(HttpMethod.GET, ApiPaths.CALLBACK, stripSlash(ApiPaths.CALLBACK))
                    .permitAll()
                    .pathMatchers("/internal/**")
                    .access(InternalCallers.internalApi(internalApi))
                    .anyExchange()
                    .access(InternalCallers.userApi()))
        .exceptionHandling(
            handling ->
                handling
                    .authenticationEntryPoint(problems.authenticationEntryPoint())
                    .accessDeniedHandler(problems.accessDeniedHandler()))
        .oauth2ResourceServer(
            resourceServer ->
                resourceServer
                    .jwt(jwt -> {})
                    .authenticationEntryPoint(problems.authenticationEntryPoint())
                    .accessDeniedHandler(problems.accessDeniedHandler()))
        .build();
  }

  private static String stripSlash(String path) {
    return path.substring(0, path.length() - 1);
  }
}
