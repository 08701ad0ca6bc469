package io.calsync.gateway.session;

/** The cookies the gateway gives a browser. */
public final class SessionCookies {

  /** The session id ({@code server.reactive.session.cookie.name}): HttpOnly, SameSite=Lax. */
  public static final String SESSION = "CALSYNC_SESSION";

  /** The CSRF token, readable by the page's scripts, which send it back as {@code X-XSRF-TOKEN}. */
  public static final String CSRF = "XSRF-TOKEN";

  private SessionCookies() {}
}
