package io.calsync.emulator.calendar;

import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Resolves the caller of a Calendar API request from its bearer token and checks scopes. */
public final class BearerAuth {

  private final OAuthStore oauth;

  public BearerAuth(OAuthStore oauth) {
    this.oauth = oauth;
  }

  /** The valid access token of the request; 401 when missing, unknown, revoked or expired. */
  public OAuthStore.AccessToken authenticate(ServerRequest request, Set<String> acceptedScopes) {
    String header = request.headers().firstHeader("Authorization");
    String token = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = header.substring(7).trim();
    } else if (header == null) {
      token =
          request
              .queryParam("access_token")
              .or(() -> request.queryParam("oauth_token"))
              .orElse(null);
    }
    if (token == null || token.isEmpty()) {
      throw header == null ? ApiException.loginRequired() : ApiException.authError();
    }
    OAuthStore.AccessToken access =
        oauth.validAccessToken(token).orElseThrow(ApiException::authError);
    if (!Scopes.anyOf(access.scopes(), acceptedScopes)) {
      throw ApiException.insufficientPermissions();
    }
    return access;
  }
}
