package io.calsync.oauth.connect;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.AuthorizationUrlResponse;
import io.calsync.oauth.connect.ConnectService.Authorization;
import io.calsync.oauth.problem.ProblemException;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Connect a Google account: the authorization URL, and Google's redirect back.
 *
 * <p>{@code authorize} binds the flow to the browser that asked for it with an HttpOnly,
 * SameSite=Lax cookie scoped to the callback's path; the callback refuses a state whose cookie is
 * missing or different, and clears the cookie whatever the outcome.
 */
@RestController
class ConnectController {

  /** The binding cookie. Not {@code __Host-}: that prefix demands {@code Path=/}. */
  static final String BINDING_COOKIE = "calsync_oauth_flow";

  /** Covers the callback with and without its trailing slash, and nothing else. */
  static final String BINDING_COOKIE_PATH =
      ApiPaths.CALLBACK.substring(0, ApiPaths.CALLBACK.length() - 1);

  private final ConnectService connect;
  private final WebProperties web;
  private final ConnectProperties properties;

  ConnectController(ConnectService connect, WebProperties web, ConnectProperties properties) {
    this.connect = connect;
    this.web = web;
    this.properties = properties;
  }

  @GetMapping({ApiPaths.AUTHORIZE, "/api/calendar/google/authorize"})
  Mono<ResponseEntity<AuthorizationUrlResponse>> authorize(
      @AuthenticationPrincipal Jwt jwt,
      @RequestParam(name = "return_to", required = false) String returnTo) {
    String validated = null;
    if (returnTo != null) {
      validated =
          ReturnTo.validate(returnTo)
              .orElseThrow(
                  () ->
                      ProblemException.invalidParameter(
                          "return_to",
                          "return_to must be a relative path of the web client, like /settings."));
    }
    return connect
        .authorize(jwt.getSubject(), validated)
        .map(
            (Authorization authorization) ->
                ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .header(
                        HttpHeaders.SET_COOKIE,
                        bindingCookie(authorization.browserBinding(), properties.stateTtl())
                            .toString())
                    .body(new AuthorizationUrlResponse(authorization.url().toString())));
  }

  /**
   * Open endpoint: the single-use {@code state} together with the binding cookie is the credential.
   * Always a redirect, never an error page.
   */
  @GetMapping({ApiPaths.CALLBACK, "/api/calendar/google/callback"})
  Mono<ResponseEntity<Void>> callback(
      @RequestParam(name = "code", required = false) String code,
      @RequestParam(name = "state", required = false) String state,
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "scope", required = false) String scope,
      @CookieValue(name = BINDING_COOKIE, required = false) String binding) {
    return connect.complete(code, state, binding, error, scope).map(this::redirect);
  }

  private ResponseCookie bindingCookie(String value, Duration maxAge) {
    return ResponseCookie.from(BINDING_COOKIE, value)
        .httpOnly(true)
        .secure(web.isHttps())
        .sameSite("Lax")
        .path(BINDING_COOKIE_PATH)
        .maxAge(maxAge)
        .build();
  }

  private ResponseEntity<Void> redirect(CallbackResult result) {
    String path = result.returnTo() != null ? result.returnTo() : web.defaultReturnTo();
    UriComponentsBuilder target = UriComponentsBuilder.fromUriString(web.origin() + path);
    if (result instanceof CallbackResult.Connected connected) {
      target
          .queryParam("calendar", "connected")
          .queryParam("connection_id", connected.connectionId());
    } else if (result instanceof CallbackResult.Failed failed) {
      target.queryParam("calendar", "error").queryParam("reason", failed.reason().wire());
    }
    URI location = target.encode().build().toUri();
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(location)
        .cacheControl(CacheControl.noStore())
        // the code and state in this URL must not reach the next page's servers
        .header("Referrer-Policy", "no-referrer")
        .header(HttpHeaders.SET_COOKIE, bindingCookie("", Duration.ZERO).toString())
        .build();
  }
}
