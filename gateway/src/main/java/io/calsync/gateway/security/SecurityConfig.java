package io.calsync.gateway.security;

import io.calsync.gateway.webapp.WebAppProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * The gateway is a stateless JWT resource server. Issuer, signature, expiry and audience {@code
 * calendar} are checked by Boot's decoder ({@code spring.security.oauth2.resourceserver.jwt.*}).
 * Open: the OAuth callback and Google's notifications (each carries its own credential), the web
 * client's pages and assets, {@code /config.json} and the health, info and prometheus endpoints.
 * Every other {@code /api/**} request needs a valid token; 401 and 403 are problem+json.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  static final String[] OPEN_API_PATHS = {
    "/api/calendar/google/callback/**", "/api/calendar/google/notifications/**"
  };

  static final String[] OPEN_ACTUATOR_PATHS = {
    "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus"
  };

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, ProblemSecurityHandlers handlers, WebAppProperties web) {
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .cors(Customizer.withDefaults())
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(HttpMethod.OPTIONS, "/api/**")
                    .permitAll()
                    .pathMatchers(OPEN_API_PATHS)
                    .permitAll()
                    .pathMatchers(OPEN_ACTUATOR_PATHS)
                    .permitAll()
                    .pathMatchers("/actuator/**")
                    .denyAll()
                    .pathMatchers("/api/**")
                    .authenticated()
                    // the web client's pages, assets and /config.json; unknown paths end as 404
                    // problems
                    .anyExchange()
                    .permitAll())
        .oauth2ResourceServer(
            oauth2 ->
                oauth2
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(handlers)
                    .accessDeniedHandler(handlers))
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
        // Spring Security's defaults (nosniff, X-Frame-Options DENY, no-store, HSTS on https
        // requests)
        // plus a strict CSP with frame-ancestors 'none' and no referrer, on every answer: pages,
        // the
        // gateway's own problems, and what the services answer through it.
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(web)))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
        .build();
  }

  /** Scripts, styles and images only from the gateway; XHR to the gateway and the OIDC issuer. */
  static String contentSecurityPolicy(WebAppProperties web) {
    String issuer = web.issuerOrigin();
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self' "
        + issuer
        + "; frame-ancestors 'none'; base-uri 'self'; "
        + "form-action 'self' "
        + issuer
        + "; object-src 'none'";
  }

  /**
   * Browsers on {@code WEB_ALLOWED_ORIGINS} may call the API with a bearer token. No cookies are
   * involved, so credentials stay off.
   */
  @Bean
  CorsConfigurationSource corsConfigurationSource(WebAppProperties web) {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(web.allowedOrigins());
    cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Last-Event-ID"));
    cors.setExposedHeaders(List.of("Location", "Retry-After"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(Duration.ofHours(1));
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    source.registerCorsConfiguration("/api/**", cors);
    source.registerCorsConfiguration("/config.json", cors);
    return source;
  }
}
