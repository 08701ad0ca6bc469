package io.calsync.emulator.oauth;

import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.OAuthException;
import io.calsync.emulator.support.Requests;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The OAuth 2.0 endpoints: authorize (consent page), token, revoke, userinfo. */
public final class OAuthHandlers {

  public static final String ISSUER = "https://accounts.google.com";

  private final OAuthStore store;
  private final String clientId;
  private final String clientSecret;
  private final IdTokens idTokens;

  public OAuthHandlers(OAuthStore store, String clientId, String clientSecret, IdTokens idTokens) {
    this.store = store;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.idTokens = idTokens;
  }

  // ---------------------------------------------------------------- authorize

  /** The parameters of one authorization request. */
  record AuthRequest(
      String clientId,
      String redirectUri,
      String responseType,
      String scope,
      String state,
      String accessType,
      String prompt,
      String loginHint,
      String includeGrantedScopes,
      String codeChallenge,
      String codeChallengeMethod) {

    static AuthRequest from(Map<String, String> p) {
      return new AuthRequest(
          p.get("client_id"),
          p.get("redirect_uri"),
          p.get("response_type"),
          p.get("scope"),
          p.get("state"),
          p.get("access_type"),
          p.get("prompt"),
          p.get("login_hint"),
          p.get("include_granted_scopes"),
          p.get("code_challenge"),
          p.get("code_challenge_method"));
    }

    Map<String, String> asMap() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("client_id", clientId);
      m.put("redirect_uri", redirectUri);
      m.put("response_type", responseType);
      m.put("scope", scope);
      m.put("state", state);
      m.put("access_type", accessType);
      m.put("prompt", prompt);
      m.put("include_granted_scopes", includeGrantedScopes);
      m.put("code_challenge", codeChallenge);
      m.put("code_challenge_method", codeChallengeMethod);
      m.values().removeIf(v -> v == null);
      return m;
    }

    boolean forcedConsent() {
      return prompt != null && Arrays.asList(prompt.split(" ")).contains("consent");
    }
  }

  public Mono<ServerResponse> authorize(ServerRequest request) {
    Map<String, String> params = request.queryParams().toSingleValueMap();
    AuthRequest auth = AuthRequest.from(params);
    Optional<Mono<ServerResponse>> invalid = validate(auth);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    Set<String> scopes = Scopes.parse(auth.scope());
    boolean promptNone = auth.prompt() != null && auth.prompt().trim().equals("none");
    if (auth.loginHint() != null && !auth.loginHint().isBlank()) {
      String hint = auth.loginHint().trim();
      if (!OAuthStore.isEmail(hint)) {
        return errorPage(400, "invalid_request", "login_hint must be an e-mail address");
      }
      Account account = store.ensureAccount(hint).getKey();
      if (promptNone && !store.hasGrant(account.email(), auth.clientId())) {
        return redirect(auth.redirectUri(), errorParams("consent_required", auth.state()));
      }
      return grant(auth, account, scopes);
    }
    if (promptNone) {
      return redirect(auth.redirectUri(), errorParams("login_required", auth.state()));
    }
    return consentPage(auth, scopes, null, 200);
  }

  /** The consent form's POST: Allow (with optional fewer granted scopes) or Deny. */
  public Mono<ServerResponse> consent(ServerRequest request) {
    return Requests.form(request)
        .flatMap(
            form -> {
              Map<String, String> single = new LinkedHashMap<>();
              form.forEach((k, v) -> single.put(k, v.isEmpty() ? null : v.get(0)));
              AuthRequest auth = AuthRequest.from(single);
              Optional<Mono<ServerResponse>> invalid = validate(auth);
              if (invalid.isPresent()) {
                return invalid.get();
              }
              Set<String> requested = Scopes.parse(auth.scope());
              if ("deny".equalsIgnoreCase(single.get("action"))) {
                return redirect(auth.redirectUri(), errorParams("access_denied", auth.state()));
              }
              String email = single.get("email");
              if (!OAuthStore.isEmail(email == null ? null : email.trim())) {
                return consentPage(
                    auth, requested, "Enter the e-mail address of the account.", 400);
              }
              Set<String> granted = new LinkedHashSet<>();
              List<String> chosen = form.get("granted_scopes");
              if (chosen != null) {
                chosen.forEach(c -> granted.addAll(Scopes.parse(c)));
                granted.retainAll(requested);
              } else {
                granted.addAll(requested);
              }
              Account account = store.ensureAccount(email.trim()).getKey();
              return grant(auth, account, granted);
            });
  }

  private Mono<ServerResponse> grant(AuthRequest auth, Account account, Set<String> scopes) {
    boolean hadGrant = store.hasGrant(account.email(), auth.clientId());
    boolean consentShown = !hadGrant || auth.forcedConsent();
    OAuthStore.AuthCode code =
        store.consent(
            account.email(),
            auth.clientId(),
            auth.redirectUri(),
            scopes,
            "true".equals(auth.includeGrantedScopes()),
            "offline".equals(auth.accessType()),
            auth.forcedConsent(),
            auth.codeChallenge(),
            auth.codeChallenge() == null
                ? null
                : auth.codeChallengeMethod() == null ? "plain" : auth.codeChallengeMethod());
    Map<String, String> params = new LinkedHashMap<>();
    if (auth.state() != null) {
      params.put("state", auth.state());
    }
    params.put("iss", ISSUER);
    params.put("code", code.code());
    params.put("scope", Scopes.format(code.scopes()));
    params.put("authuser", "0");
    params.put("prompt", consentShown ? "consent" : "none");
    return redirect(auth.redirectUri(), params);
  }

  private Optional<Mono<ServerResponse>> validate(AuthRequest auth) {
    if (auth.clientId() == null || auth.clientId().isBlank()) {
      return Optional.of(
          errorPage(400, "invalid_request", "Missing required parameter: client_id"));
    }
    if (!clientId.equals(auth.clientId())) {
      return Optional.of(errorPage(401, "invalid_client", "The OAuth client was not found."));
    }
    if (auth.redirectUri() == null || auth.redirectUri().isBlank()) {
      return Optional.of(
          errorPage(400, "invalid_request", "Missing required parameter: redirect_uri"));
    }
    URI uri;
    try {
      uri = URI.create(auth.redirectUri());
    } catch (IllegalArgumentException e) {
      return Optional.of(errorPage(400, "redirect_uri_mismatch", "Invalid redirect_uri"));
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getFragment() != null) {
      return Optional.of(errorPage(400, "redirect_uri_mismatch", "Invalid redirect_uri"));
    }
    if (auth.responseType() == null) {
      return Optional.of(
          errorPage(400, "invalid_request", "Missing required parameter: response_type"));
    }
    if (!"code".equals(auth.responseType())) {
      return Optional.of(
          errorPage(
              400,
              "unsupported_response_type",
              "Unsupported response_type: " + auth.responseType()));
    }
    if (auth.scope() == null || auth.scope().isBlank()) {
      return Optional.of(errorPage(400, "invalid_request", "Missing required parameter: scope"));
    }
    for (String s : Scopes.parse(auth.scope())) {
      if (!Scopes.isKnown(s)) {
        return Optional.of(errorPage(400, "invalid_scope", "Some requested scopes were invalid."));
      }
    }
    if (auth.accessType() != null
        && !auth.accessType().equals("online")
        && !auth.accessType().equals("offline")) {
      return Optional.of(errorPage(400, "invalid_request", "Invalid access_type"));
    }
    if (auth.codeChallengeMethod() != null
        && !auth.codeChallengeMethod().equals("S256")
        && !auth.codeChallengeMethod().equals("plain")) {
      return Optional.of(errorPage(400, "invalid_request", "Invalid code_challenge_method"));
    }
    if (auth.prompt() != null) {
      List<String> prompts = Arrays.asList(auth.prompt().trim().split(" +"));
      if (prompts.contains("none") && prompts.size() > 1) {
        return Optional.of(
            errorPage(400, "invalid_request", "prompt=none cannot be combined with other values"));
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> errorParams(String error, String state) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error);
    if (state != null) {
      params.put("state", state);
    }
    return params;
  }

  private static Mono<ServerResponse> redirect(String redirectUri, Map<String, String> params) {
    StringBuilder location = new StringBuilder(redirectUri);
    char sep = redirectUri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      location.append(sep).append(enc(p.getKey())).append('=').append(enc(p.getValue()));
      sep = '&';
    }
    return ServerResponse.status(HttpStatus.FOUND)
        .location(URI.create(location.toString()))
        .build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Mono<ServerResponse> errorPage(int status, String error, String description) {
    String html =
        "<!doctype html><html><head><title>Error 400 (OAuth2 Error)</title></head><body>"
            + "<h1>Access blocked: Authorization Error</h1><p id=\"error\">Error "
            + status
            + ": "
            + HtmlUtils.htmlEscape(error)
            + "</p><p id=\"error_description\">"
            + HtmlUtils.htmlEscape(description)
            + "</p></body></html>";
    return ServerResponse.status(status).contentType(MediaType.TEXT_HTML).bodyValue(html);
  }

  private Mono<ServerResponse> consentPage(
      AuthRequest auth, Set<String> scopes, String message, int status) {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>Sign in - Google Accounts (emulator)</title></head><body>"
                + "<h1>Google emulator: choose an account</h1>");
    if (message != null) {
      html.append("<p class=\"error\">").append(HtmlUtils.htmlEscape(message)).append("</p>");
    }
    html.append("<form method=\"post\" action=\"/o/oauth2/v2/auth/consent\">");
    for (Map.Entry<String, String> p : auth.asMap().entrySet()) {
      html.append("<input type=\"hidden\" name=\"")
          .append(HtmlUtils.htmlEscape(p.getKey()))
          .append("\" value=\"")
          .append(HtmlUtils.htmlEscape(p.getValue()))
          .append("\">");
    }
    html.append(
        "<p><label>Account e-mail <input type=\"email\" name=\"email\" required "
            + "autofocus></label></p><p>The application asks for:</p><ul>");
    for (String scope : scopes) {
      String s = HtmlUtils.htmlEscape(scope);
      html.append("<li><label><input type=\"checkbox\" name=\"granted_scopes\" value=\"")
          .append(s)
          .append("\" checked> ")
          .append(s)
          .append("</label></li>");
    }
    html.append(
        "</ul><button type=\"submit\" name=\"action\" value=\"allow\">Allow</button> "
            + "<button type=\"submit\" name=\"action\" value=\"deny\" formnovalidate>Deny</button>"
            + "</form></body></html>");
    return ServerResponse.status(status)
        .contentType(MediaType.TEXT_HTML)
        .bodyValue(html.toString());
  }

  // ---------------------------------------------------------------- token

  public Mono<ServerResponse> token(ServerRequest request) {
    return Requests.form(request)
        .map(
            form -> {
              String[] basic = basicCredentials(request);
              String id = basic != null ? basic[0] : Requests.first(form, "client_id");
              String secret = basic != null ? basic[1] : Requests.first(form, "client_secret");
              if (id == null || id.isEmpty()) {
                throw new OAuthException(
                    400, "invalid_request", "Could not determine client ID from request.");
              }
              if (!clientId.equals(id)) {
                throw new OAuthException(401, "invalid_client", "The OAuth client was not found.");
              }
              if (secret == null || !clientSecret.equals(secret)) {
                throw new OAuthException(401, "invalid_client", "Unauthorized");
              }
              String grantType = Requests.first(form, "grant_type");
              if (grantType == null) {
                throw OAuthException.invalidRequest("Missing required parameter: grant_type");
              }
              ObjectNode body = Json.object();
              switch (grantType) {
                case "authorization_code" -> {
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
    // The emulator always tells the e-mail (Google needs the email scope for it): the platform
    // identifies the connected account by it.
    body.put("email", account.email());
    body.put("email_verified", true);
    if (access.get().scopes().contains(Scopes.PROFILE)) {
      String local = account.email().substring(0, account.email().indexOf('@'));
      body.put("name", local);
      body.put("given_name", local);
      body.put("picture", "https://lh3.googleusercontent.com/a/default-user=s96-c");
    }
    return Json.ok(body);
  }
}
