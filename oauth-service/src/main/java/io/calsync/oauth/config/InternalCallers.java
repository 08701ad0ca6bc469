package io.calsync.oauth.config;

import io.calsync.contract.http.ApiPaths;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

/**
 * The two kinds of bearer token oauth-service accepts, told apart by audience: user tokens
 * (audience {@code calendar}) for the public API, and sync-service's service token (audience {@code
 * calendar-internal}, scope {@code calendar.tokens}, issued to an allowed client) for the internal
 * token API. Anything else is authenticated but forbidden (403).
 *
 * <p>The client is read from {@code client_id} (RFC 9068) or {@code azp} (OIDC), never from {@code
 * sub}: a user may well be called {@code sync-service}.
 */
final class InternalCallers {

  /** The audience of user tokens, as the public API requires. */
  static final String USER_AUDIENCE = "calendar";

  private InternalCallers() {}

  /**
   * Access to {@code /internal/**}: only an allowed service client's token for the internal
   * audience.
   */
  static ReactiveAuthorizationManager<AuthorizationContext> internalApi(
      InternalApiProperties properties) {
    Set<String> allowed = Set.copyOf(properties.allowedClients());
    return decide(
        jwt ->
            jwt.getAudience().contains(properties.audience())
                && scopes(jwt).contains(ApiPaths.TOKENS_SCOPE)
                && allowed.contains(clientId(jwt)));
  }

  /** Access to everything else: a user token, whose audience is {@code calendar}. */
  static ReactiveAuthorizationManager<AuthorizationContext> userApi() {
    return decide(jwt -> jwt.getAudience().contains(USER_AUDIENCE));
  }

  /**
   * The client a token was issued to: {@code client_id}, else {@code azp}; null when neither is
   * set.
   */
  static String clientId(Jwt jwt) {
    String clientId = jwt.getClaimAsString("client_id");
    return clientId != null ? clientId : jwt.getClaimAsString("azp");
  }

  private static List<String> scopes(Jwt jwt) {
    String scope = jwt.getClaimAsString("scope");
    return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
  }

  private static ReactiveAuthorizationManager<AuthorizationContext> decide(Predicate<Jwt> rule) {
    return new ReactiveAuthorizationManager<>() {
      @Override
      public Mono<AuthorizationResult> authorize(
          Mono<Authentication> authentication, AuthorizationContext context) {
        return authentication
            .filter(Authentication::isAuthenticated)
            .map(a -> a instanceof JwtAuthenticationToken token && rule.test(token.getToken()))
            .defaultIfEmpty(false)
            .map(AuthorizationDecision::new);
      }
    };
  }
}
