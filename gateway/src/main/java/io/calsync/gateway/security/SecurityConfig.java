package io.calsync.gateway.security;

import io.calsync.gateway.session.SessionCookies;
import io.calsync.gateway.webapp.WebAppProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.web.server.logout.OidcClientInitiatedServerLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/**
 * Two kinds of caller, two filter chains (root README, decision 12):
 *
 * <ul>
 *   <li><b>API clients</b> send {@code Authorization}: the gateway is a stateless JWT resource
 *       server for them. Issuer, signature, expiry and audience {@code calendar} are checked by
 *       Boot's decoder ({@code spring.security.oauth2.resourceserver.jwt.*}); no session, no
 *       cookie, no CSRF (a browser never adds that header by itself).
 *   <li><b>The web client</b> (everything else) is a backend-for-frontend: the gateway signs the
 *       browser in as a confidential OAuth client ({@code oauth2Login}, authorization code with
 *       PKCE), keeps the tokens in the server-side session (Spring Session: in memory, or Redis
 *       shared by every instance) and relays the access token to the services ({@code TokenRelay},
 *       refreshed when it expires). The browser holds only the HttpOnly, SameSite=Lax session
 *       cookie; state-changing requests need the CSRF token (cookie {@code XSRF-TOKEN}, header
 *       {@code X-XSRF-TOKEN}).
 * </ul>
 *
 * <p>Open in both: the OAuth callback and Google's notifications (each carries its own credential),
 * the web client's pages and assets and the health, info and prometheus endpoints. Every other
 * {@code /api/**} request needs a valid token or a signed-in session; 401 and 403 are problem+json.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OAuth2ClientProperties.class)
class SecurityConfig {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

  static final String[] OPEN_API_PATHS = {
    "/api/calendar/google/callback/**", "/api/calendar/google/notifications/**"
  };

  static final String[] OPEN_ACTUATOR_PATHS = {
    "/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus"
  };

  /** Where a sign-in that could not complete sends the browser: the dashboard says so. */
  static final String SIGN_IN_FAILED_PATH = "/?sign_in=failed";

  /** The web client's OAuth client registration ({@code spring.security.oauth2.client.*}). */
  static final String REGISTRATION_ID = "calendar";

  /** The longest the gateway waits for the issuer's discovery document. */
  private static final Duration ISSUER_TIMEOUT = Duration.ofSeconds(5);

  /** Requests that carry their own credential: API clients' bearer tokens. */
  static final ServerWebExchangeMatcher API_CLIENTS =
      exchange ->
          exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
              ? MatchResult.match()
              : MatchResult.notMatch();

  @Bean
  @Order(1)
  SecurityWebFilterChain apiClientsFilterChain(
      ServerHttpSecurity http, ProblemSecurityHandlers handlers, WebAppProperties web) {
    return common(http.securityMatcher(API_CLIENTS), handlers, web)
        .csrf(ServerHttpSecurity.CsrfSpec::disable)
        .logout(ServerHttpSecurity.LogoutSpec::disable)
        .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
        .oauth2ResourceServer(
            oauth2 ->
                oauth2
                    .jwt(Customizer.withDefaults())
                    .authenticationEntryPoint(handlers)
                    .accessDeniedHandler(handlers))
        .build();
  }

  @Bean
  @Order(2)
  SecurityWebFilterChain browserFilterChain(
      ServerHttpSecurity http,
      ProblemSecurityHandlers handlers,
      WebAppProperties web,
      ReactiveClientRegistrationRepository registrations,
      ServerOAuth2AuthorizedClientRepository authorizedClients,
      SessionCookies cookies) {
    DefaultServerOAuth2AuthorizationRequestResolver pkce =
        new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
    pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
    OidcClientInitiatedServerLogoutSuccessHandler logoutSuccess =
        new OidcClientInitiatedServerLogoutSuccessHandler(registrations);
    logoutSuccess.setPostLogoutRedirectUri("{baseUrl}/");
    logoutSuccess.setLogoutSuccessUrl(URI.create("/"));
    return common(http, handlers, web)
        .csrf(
            csrf ->
                csrf.csrfTokenRepository(csrfTokenRepository())
                    // the raw token from the cookie, in the header or the logout form's _csrf
                    .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                    .requireCsrfProtectionMatcher(csrfProtected(cookies.session()))
                    .accessDeniedHandler(handlers::csrfRejected))
        // the first page answer sets the XSRF-TOKEN cookie, which the scripts send back
        .addFilterAfter(subscribeToCsrfToken(), SecurityWebFiltersOrder.CSRF)
        .oauth2Login(
            login ->
                login
                    .authorizationRequestResolver(pkce)
                    .authorizedClientRepository(authorizedClients)
                    // the session gets a new id when it signs in (the security context repository
                    // changes it on save), so an id planted before is worthless
                    .authenticationFailureHandler(SecurityConfig::signInFailed))
        .logout(logout -> logout.logoutUrl("/logout").logoutSuccessHandler(logoutSuccess))
        .build();
  }

  private static final RedirectServerAuthenticationFailureHandler SIGN_IN_FAILED =
      new RedirectServerAuthenticationFailureHandler(SIGN_IN_FAILED_PATH);

  /**
   * Logs why a sign-in failed, by its OAuth error code only (the description can quote claims), and
   * sends the browser to the dashboard, which says so.
   */
  private static Mono<Void> signInFailed(
      WebFilterExchange exchange, AuthenticationException exception) {
    String reason =
        exception instanceof OAuth2AuthenticationException oauth
            ? oauth.getError().getErrorCode()
            : exception.getClass().getSimpleName();
    log.info("A browser's sign-in failed: {}", reason);
    return SIGN_IN_FAILED.onAuthenticationFailure(exchange, exception);
  }

  /** What both chains share: open paths, problem+json errors, CORS and the security headers. */
  private static ServerHttpSecurity common(
      ServerHttpSecurity http, ProblemSecurityHandlers handlers, WebAppProperties web) {
    return http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
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
                    // the web client's pages and assets; unknown paths end as 404 problems
                    .anyExchange()
                    .permitAll())
        .exceptionHandling(
            exceptions ->
                exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
        // Spring Security's defaults (nosniff, X-Frame-Options DENY, no-store, HSTS on https
        // requests) plus a strict CSP with frame-ancestors 'none' and no referrer, on every answer:
        // pages, the gateway's own problems, and what the services answer through it.
        .headers(
            headers ->
                headers
                    .contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy(web)))
                    .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)));
  }

  /**
   * Unsafe methods need the token when they come with the session cookie, which is what a forged
   * request would ride on. Without it nothing is at stake, and a caller that forgot its credential
   * is told so (401) rather than asked for a CSRF token; Google's notifications carry their own
   * channel token and never need it.
   */
  private static CookieServerCsrfTokenRepository csrfTokenRepository() {
    CookieServerCsrfTokenRepository repository =
        CookieServerCsrfTokenRepository.withHttpOnlyFalse();
    repository.setCookieName(SessionCookies.CSRF);
    return repository;
  }

  private static ServerWebExchangeMatcher csrfProtected(String sessionCookie) {
    ServerWebExchangeMatcher notifications =
        ServerWebExchangeMatchers.pathMatchers("/api/calendar/google/notifications/**");
    return exchange ->
        safeMethod(exchange.getRequest().getMethod())
                || !exchange.getRequest().getCookies().containsKey(sessionCookie)
            ? MatchResult.notMatch()
            : notifications
                .matches(exchange)
                .flatMap(match -> match.isMatch() ? MatchResult.notMatch() : MatchResult.match());
  }

  private static boolean safeMethod(HttpMethod method) {
    return HttpMethod.GET.equals(method)
        || HttpMethod.HEAD.equals(method)
        || HttpMethod.OPTIONS.equals(method)
        || HttpMethod.TRACE.equals(method);
  }

  /**
   * The reactive CSRF token is lazy: nothing writes its cookie unless someone subscribes to it.
   * This filter does, so the browser gets {@code XSRF-TOKEN} with its first answer.
   */
  private static WebFilter subscribeToCsrfToken() {
    return (exchange, chain) -> {
      Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
      return (token != null ? token.then() : Mono.<Void>empty()).then(chain.filter(exchange));
    };
  }

  /**
   * The session's authorized clients (its access and refresh tokens) live in the web session, so
   * they are wherever the session is: in memory, or in Redis for every gateway instance.
   */
  @Bean
  ServerOAuth2AuthorizedClientRepository authorizedClientRepository() {
    return new WebSessionServerOAuth2AuthorizedClientRepository();
  }

  /**
   * The web client's registration {@code calendar}, from {@code spring.security.oauth2.client.*},
   * with the issuer's endpoints read when first needed ({@link DiscoveredClientRegistrations}).
   * Boot's own repository, which reads them at start, stands down for this bean.
   */
  @Bean
  ReactiveClientRegistrationRepository clientRegistrations(
      OAuth2ClientProperties properties, WebAppProperties web) {
    OAuth2ClientProperties.Registration registration =
        properties.getRegistration().get(REGISTRATION_ID);
    return new DiscoveredClientRegistrations(
        REGISTRATION_ID,
        registration,
        properties.getProvider().get(registration.getProvider()),
        web.publicIssuer(),
        WebClient.create(),
        ISSUER_TIMEOUT);
  }

  /** What {@code TokenRelay} asks for a session's access token; refreshes an expired one. */
  @Bean
  ReactiveOAuth2AuthorizedClientManager authorizedClientManager(
      ReactiveClientRegistrationRepository registrations,
      ServerOAuth2AuthorizedClientRepository authorizedClients,
      SessionCookies cookies) {
    DefaultReactiveOAuth2AuthorizedClientManager manager =
        new DefaultReactiveOAuth2AuthorizedClientManager(registrations, authorizedClients);
    manager.setAuthorizedClientProvider(
        ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
            .authorizationCode()
            .refreshToken()
            .build());
    return manager;
  }

  /**
   * Scripts, styles and images only from the gateway; XHR only to it. Forms may post to the gateway
   * and, through the sign-out's redirect, to the OIDC issuer.
   */
  static String contentSecurityPolicy(WebAppProperties web) {
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
        + "form-action 'self' "
        + web.issuerOrigin()
        + "; object-src 'none'";
  }

  /**
   * Browsers on {@code WEB_ALLOWED_ORIGINS} may call the API with a bearer token. The session
   * cookie is never accepted across origins: credentials stay off.
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
    return source;
  }
}
