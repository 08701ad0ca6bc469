package io.calsync.gateway.security;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /auth/session}: whether the browser is signed in and as whom, for the web client's
 * header: {@code {"signed_in": true, "sub", "name"}} or {@code {"signed_in": false}}. Always 200,
 * so a signed-out page logs no failed request. It never answers a token.
 */
@Configuration(proxyBeanMethods = false)
class SessionUserRoutes {

  static final String PATH = "/auth/session";

  @Bean
  RouterFunction<ServerResponse> sessionUserRouter() {
    return route(
        GET(PATH),
        request ->
            request
                .principal()
                .filter(
                    principal -> principal instanceof Authentication auth && auth.isAuthenticated())
                .cast(Authentication.class)
                .map(SessionUserRoutes::user)
                .defaultIfEmpty(SessionUser.SIGNED_OUT)
                .flatMap(
                    user ->
                        ServerResponse.ok()
                            .contentType(MediaType.APPLICATION_JSON)
                            .cacheControl(CacheControl.noStore())
                            .bodyValue(user)));
  }

  static SessionUser user(Authentication authentication) {
    if (authentication.getPrincipal() instanceof OidcUser oidc) {
      String name = oidc.getPreferredUsername();
      if (name == null) {
        name = oidc.getFullName();
      }
      return new SessionUser(true, oidc.getSubject(), name != null ? name : oidc.getSubject());
    }
    return new SessionUser(true, authentication.getName(), authentication.getName());
  }

  /** The signed-in user (the issuer's subject and a name to show), or no one. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SessionUser(boolean signedIn, String sub, String name) {
    static final SessionUser SIGNED_OUT = new SessionUser(false, null, null);
  }
}
