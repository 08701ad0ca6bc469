package io.calsync.gateway.security;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /auth/me}: who the browser's session (or a bearer token) belongs to, for the web
 * client's header: {@code {"sub", "name"}}. Without a session it is the usual 401 problem, which is
 * how the web client learns it must sign in. It never answers a token.
 */
@Configuration(proxyBeanMethods = false)
class SessionUserRoutes {

  static final String PATH = "/auth/me";

  @Bean
  RouterFunction<ServerResponse> sessionUserRouter() {
    return route(
        GET(PATH),
        request ->
            request
                .principal()
                .cast(Authentication.class)
                .map(SessionUserRoutes::user)
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
      return new SessionUser(oidc.getSubject(), name != null ? name : oidc.getSubject());
    }
    return new SessionUser(authentication.getName(), authentication.getName());
  }

  /** The signed-in user: the issuer's subject and a name to show. */
  record SessionUser(String sub, String name) {}
}
