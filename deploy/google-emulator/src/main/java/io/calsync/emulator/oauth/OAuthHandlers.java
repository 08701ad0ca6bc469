package io.calsync.emulator.oauth;

import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.OAuthException;
import io.calsync.emulator.support.Requests;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OAuth 2.0 token endpoints: token, revoke, userinfo (authorization is {@link
 * AuthorizeHandlers}).
 */
public final class OAuthHandlers {

  public static final String ISSUER = "https://accounts.google.com";

  private final OAuthStore store;
  private final OAuthClients clients;
  private final IdTokens idTokens;

  public OAuthHandlers(OAuthStore store, OAuthClients clients, IdTokens idTokens) {
    this.store = store;
    this.clients = clients;
    this.idTokens = idTokens;
  }

  // ---------------------------------------------------------------- token

  public Mono<ServerResponse> token(ServerRequest request) {
    return Requests.form(request)
        .map(
            form -> {
              // Google: a repeated parameter is an invalid_request, whatever it is.
              form.forEach(
                  (name, values) -> {
                    if (values.size() > 1) {
                      throw OAuthException.invalidRequest("Duplicate parameter: " + name);
                    }
                  });
              String[] basic = basicCredentials(request);
              String id = basic != null ? basic[0] : Requests.first(form, "client_id");
              String secret = basic != null ? basic[1] : Requests.first(form, "client_secret");
              if (id == null || id.isEmpty()) {
                throw new OAuthException(
                    400, "invalid_request", "Could not determine client ID from request.");
              }
              EmulatorOptions.Client client =
                  clients
                      .find(id)
                      .orElseThrow(
                          () ->
                              new OAuthException(
                                  401, "invalid_client", "The OAuth client was not found."));
              if (secret == null || secret.isEmpty()) {
                throw OAuthException.invalidRequest("client_secret is missing.");
              }
              if (!client.secret().equals(secret)) {
                throw new OAuthException(401, "invalid_client", "Unauthorized");
              }
              String grantType = Requests.first(form, "grant_type");
              if (grantType == null) {
                throw OAuthException.invalidRequest("Missing required parameter: grant_type");
              }
              ObjectNode body = Json.object();
              switch (grantType) {
                case "authorization_code" -> {
                  if (Requests.first(form, "redirect_uri") == null) {
                    throw OAuthException.invalidRequest("Missing parameter: redirect_uri");
                  }
                  OAuthStore.Issued issued =
                      store.exchange(
                          Requests.first(form, "code"),
                          id,
                          Requests.first(form, "redirect_uri"),
                          Requests.first(form, "code_verifier"));
                  OAuthStore.AccessToken access = issued.accessToken();
                  writeAccess(body, access);
                  if (issued.refreshToken() != null) {
                    body.put("refresh_token", issued.refreshToken().token());
                  }
                  addIdToken(body, access);
                }
                case "refresh_token" -> {
                  OAuthStore.AccessToken access =
                      store.refresh(Requests.first(form, "refresh_token"), id);
                  writeAccess(body, access);
                  addIdToken(body, access);
                }
                default ->
                    throw new OAuthException(
                        400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
              }
              return body;
            })
        .flatMap(
            body ->
                ServerResponse.ok()
                    .contentType(Json.CONTENT_TYPE)
                    .header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
                    .header("Pragma", "no-cache")
                    .bodyValue(Json.bytes(body)));
  }

  private void addIdToken(ObjectNode body, OAuthStore.AccessToken access) {
    if (idTokens != null
        && (access.scopes().contains("openid")
            || access.scopes().contains(Scopes.EMAIL)
            || access.scopes().contains(Scopes.PROFILE))) {
      Account account = store.account(access.email()).orElseThrow();
      body.put("id_token", idTokens.mint(account, access));
    }
  }

  private static void writeAccess(ObjectNode body, OAuthStore.AccessToken access) {
    body.put("access_token", access.token());
    body.put("expires_in", OAuthStore.ACCESS_TOKEN_SECONDS);
    body.put("scope", Scopes.format(access.scopes()));
    body.put("token_type", "Bearer");
  }

  private static String[] basicCredentials(ServerRequest request) {
    String header = request.headers().firstHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new OAuthException(401, "invalid_client", "Unauthorized");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new OAuthException(401, "invalid_client", "Unauthorized");
    }
    return new String[] {
      java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
      java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
    };
  }

  // ---------------------------------------------------------------- revoke

  public Mono<ServerResponse> revoke(ServerRequest request) {
    return Requests.form(request)
        .flatMap(
            form -> {
              String token = Requests.first(form, "token");
              if (token == null) {
                token = request.queryParam("token").orElse(null);
              }
              if (token == null || token.isEmpty()) {
                throw OAuthException.invalidRequest("Missing required parameter: token");
              }
              if (!store.revoke(token)) {
                throw new OAuthException(400, "invalid_token", "Token expired or revoked");
              }
              return ServerResponse.ok().build();
            });
  }

  // ---------------------------------------------------------------- userinfo

  public Mono<ServerResponse> userinfo(ServerRequest request) {
    String header = request.headers().firstHeader("Authorization");
    String token =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : request.queryParam("access_token").orElse(null);
    Optional<OAuthStore.AccessToken> access = store.validAccessToken(token);
    if (access.isEmpty()) {
      ObjectNode body = Json.object();
      body.put("error", "invalid_request");
      body.put("error_description", "Invalid Credentials");
      return ServerResponse.status(401)
          .header(
              "WWW-Authenticate",
              "Bearer realm=\"https://accounts.google.com/\", " + "error=\"invalid_token\"")
          .contentType(Json.CONTENT_TYPE)
          .bodyValue(Json.bytes(body));
    }
    Account account = store.account(access.get().email()).orElseThrow();
    ObjectNode body = Json.object();
    body.put("sub", account.sub());
    // As at Google, the e-mail only with the email scope (the shorthand "email" is stored as
    // userinfo.email).
    if (access.get().scopes().contains(Scopes.EMAIL)) {
      body.put("email", account.email());
      body.put("email_verified", true);
    }
    if (access.get().scopes().contains(Scopes.PROFILE)) {
      String local = account.email().substring(0, account.email().indexOf('@'));
      body.put("name", local);
      body.put("given_name", local);
      body.put("picture", "https://lh3.googleusercontent.com/a/default-user=s96-c");
    }
    return Json.ok(body);
  }
}
