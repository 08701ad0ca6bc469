package io.calsync.emulator.oauth;

import static io.calsync.emulator.oauth.AuthPages.consentPage;
import static io.calsync.emulator.oauth.AuthPages.errorPage;
import static io.calsync.emulator.oauth.AuthPages.errorParams;
import static io.calsync.emulator.oauth.AuthPages.redirect;

import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.support.Requests;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The OAuth 2.0 authorization endpoint: the request, the consent page's answer, the grant. */
public final class AuthorizeHandlers {

  private final OAuthStore store;
  private final OAuthClients clients;

  public AuthorizeHandlers(OAuthStore store, OAuthClients clients) {
    this.store = store;
    this.clients = clients;
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
    params.put("iss", OAuthHandlers.ISSUER);
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
    Optional<EmulatorOptions.Client> client = clients.find(auth.clientId());
    if (client.isEmpty()) {
      return Optional.of(errorPage(401, "invalid_client", "The OAuth client was not found."));
    }
    if (auth.redirectUri() == null || auth.redirectUri().isBlank()) {
      return Optional.of(
          errorPage(400, "invalid_request", "Missing required parameter: redirect_uri"));
    }
    // Exact match with a URI registered for this client (scheme, host, port, path, trailing
    // slash), checked before anything is redirected to it.
    if (!client.get().redirectUris().contains(auth.redirectUri())) {
      return Optional.of(
          errorPage(
              400,
              "redirect_uri_mismatch",
              "The redirect URI in the request, "
                  + auth.redirectUri()
                  + ", does not match the ones authorized for the OAuth client."));
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
}
