package io.calsync.gateway.session;

import java.util.Set;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * The cookies the gateway gives a browser. The session cookie's name is read from where it is
 * configured ({@code server.reactive.session.cookie.name}), so renaming it there cannot leave the
 * CSRF check or {@link GatewayCookiesFilter} looking for the old one.
 */
@Component
public class SessionCookies {

  /** The CSRF token, readable by the page's scripts, which send it back as {@code X-XSRF-TOKEN}. */
  public static final String CSRF = "XSRF-TOKEN";

  /** WebFlux's session cookie when none is configured. */
  private static final String WEBFLUX_DEFAULT = "SESSION";

  private final String session;

  SessionCookies(ServerProperties server) {
    String configured = server.getReactive().getSession().getCookie().getName();
    this.session = configured != null ? configured : WEBFLUX_DEFAULT;
  }

  /** The session id's cookie: HttpOnly, SameSite=Lax. */
  public String session() {
    return session;
  }

  /** Both: they stay at the gateway. */
  Set<String> all() {
    return Set.of(session, CSRF);
  }
}
