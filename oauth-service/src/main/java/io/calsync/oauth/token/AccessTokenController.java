package io.calsync.oauth.token;

import io.calsync.contract.http.AccessTokenRequest;
import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.http.ApiPaths;
import io.calsync.oauth.problem.ProblemException;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * Internal API for sync-service: a usable access token of a connection; with {@code
 * rejected_access_token} in the body, a forced refresh (the token Google answered 401 to). Security
 * lets only sync-service's service token through ({@code config/InternalCallers}: audience {@code
 * calendar-internal}, scope {@code calendar.tokens}, an allowed client); the gateway never routes
 * {@code /internal/**}.
 */
@RestController
class AccessTokenController {

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final AccessTokenService accessTokens;

  AccessTokenController(AccessTokenService accessTokens) {
    this.accessTokens = accessTokens;
  }

  @PostMapping({ApiPaths.INTERNAL_ACCESS_TOKEN, ApiPaths.INTERNAL_ACCESS_TOKEN + "/"})
  Mono<ResponseEntity<AccessTokenResponse>> accessToken(
      @PathVariable("id") String id, @RequestBody(required = false) Mono<AccessTokenRequest> body) {
    if (!UUID_TEXT.matcher(id).matches()) {
      return Mono.error(
          ProblemException.invalidParameter("id", "id must be a connection id (a UUID)."));
    }
    return body
        // a body that is not the JSON object is the body's fault, not a parameter's: invalid_body
        .onErrorMap(
            ServerWebInputException.class,
            e -> ProblemException.invalidBody("The request body is not valid."))
        .map(request -> Optional.ofNullable(request.rejectedAccessToken()))
        .defaultIfEmpty(Optional.empty())
        .flatMap(rejected -> accessTokens.accessToken(UUID.fromString(id), rejected.orElse(null)))
        .map(
            token ->
                ResponseEntity.ok()
                    .cacheControl(CacheControl.noStore())
                    .body(
                        new AccessTokenResponse(
                            token.value(), token.expiresAt().atOffset(ZoneOffset.UTC))));
  }
}
