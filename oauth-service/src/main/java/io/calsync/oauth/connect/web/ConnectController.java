package io.calsync.oauth.connect.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.AuthorizationUrlResponse;
import io.calsync.oauth.config.WebProperties;
import io.calsync.oauth.connect.domain.CallbackResult;
import io.calsync.oauth.connect.domain.ConnectService;
import io.calsync.oauth.connect.domain.ReturnTo;
import io.calsync.oauth.web.InvalidParameterException;
import java.net.URI;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Connect a Google account: the authorization URL, and Google's redirect back. */
@RestController
class ConnectController {

  private final ConnectService connect;
  private final WebProperties web;

  ConnectController(ConnectService connect, WebProperties web) {
    this.connect = connect;
    this.web = web;
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
                      new InvalidParameterException(
                          "return_to", "return_to must be a relative path of the web client, like /settings."));
    }
    return connect
        .authorize(jwt.getSubject(), validated)
        .map(
            url ->
                ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .body(new AuthorizationUrlResponse(url.toString())));
  }

  /** Open endpoint: the single-use {@code state} is the credential. Always a redirect, never an error page. */
  @GetMapping({ApiPaths.CALLBACK, "/api/calendar/google/callback"})
  Mono<ResponseEntity<Void>> callback(
      @RequestParam(name = "code", required = false) String code,
      @RequestParam(name = "state", required = false) String state,
      @RequestParam(name = "error", required = false) String error,
      @RequestParam(name = "scope", required = false) String scope) {
    return connect.complete(code, state, error, scope).map(this::redirect);
  }

  private ResponseEntity<Void> redirect(CallbackResult result) {
    String path = result.returnTo() != null ? result.returnTo() : web.defaultReturnTo();
    UriComponentsBuilder target = UriComponentsBuilder.fromUriString(web.origin() + path);
    if (result instanceof CallbackResult.Connected connected) {
      target.queryParam("calendar", "connected").queryParam("connection_id", connected.connectionId());
    } else if (result instanceof CallbackResult.Failed failed) {
      target.queryParam("calendar", "error").queryParam("reason", failed.reason().wire());
    }
    URI location = target.encode().build().toUri();
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(location)
        .cacheControl(CacheControl.noStore())
        .build();
  }
}
