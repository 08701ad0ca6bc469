package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.MutableClock;
import io.calsync.emulator.EmulatorClient.Response;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OAuthFlowTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator =
        GoogleEmulator.start(
            EmulatorOptions.defaults().withRedirectUris(EmulatorClient.REDIRECT).withClock(CLOCK));
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static String scope() {
    return "openid email " + EmulatorClient.READONLY_SCOPE;
  }

  @Test
  void loginHintConsentsAtOnceAndRedirectsWithGoogleParameters() {
    Map<String, String> redirect =
        client.authorize(
            "hint@example.com", scope(), Map.of("access_type", "offline", "prompt", "consent"));

    assertThat(redirect)
        .containsEntry("state", "st-hint@example.com")
        .containsEntry("iss", "https://accounts.google.com")
        .containsEntry("authuser", "0")
        .containsEntry("prompt", "consent")
        .containsKey("code");
    assertThat(redirect.get("code")).startsWith("4/");
    assertThat(redirect.get("scope").split(" "))
        .contains(
            "openid",
            "https://www.googleapis.com/auth/userinfo.email",
            EmulatorClient.READONLY_SCOPE);
    Response account = client.postJson("/emulator/v1/accounts", "{\"email\":\"hint@example.com\"}");
    assertThat(account.status()).as("login_hint created the account").isEqualTo(200);
  }

  @Test
  void codeExchangeIssuesGoogleShapedTokensAndUserinfoTellsTheAccount() {
    Map<String, String> redirect =
        client.authorize("tokens@example.com", scope(), Map.of("access_type", "offline"));
    Response token = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);

    assertThat(token.status()).isEqualTo(200);
    assertThat(token.json().get("access_token").asString()).startsWith("ya29.");
    assertThat(token.json().get("refresh_token").asString()).startsWith("1//");
    assertThat(token.json().get("expires_in").asInt()).isEqualTo(3599);
    assertThat(token.json().get("token_type").asString()).isEqualTo("Bearer");
    assertThat(token.json().get("scope").asString()).contains(EmulatorClient.READONLY_SCOPE);
    assertThat(token.json().get("id_token").asString().split("\\.")).hasSize(3);

    for (String path : new String[] {"/v1/userinfo", "/oauth2/v3/userinfo"}) {
      Response userinfo = client.get(path, token.json().get("access_token").asString());
      assertThat(userinfo.status()).isEqualTo(200);
      assertThat(userinfo.json().get("email").asString()).isEqualTo("tokens@example.com");
      assertThat(userinfo.json().get("email_verified").asBoolean()).isTrue();
      assertThat(userinfo.json().get("sub").asString()).hasSize(21);
    }
    assertThat(client.get("/v1/userinfo", "ya29.unknown").status()).isEqualTo(401);
    Response jwks = client.get("/oauth2/v3/certs");
    assertThat(jwks.json().get("keys").get(0).get("kty").asString()).isEqualTo("RSA");
  }

  @Test
  void codesAreSingleUseAndBoundToTheRedirectUri() {
    Map<String, String> redirect = client.authorize("single@example.com", scope(), Map.of());
    Response wrongRedirect =
        client.exchange(redirect.get("code"), "http://localhost:8080/other/", null);
    assertThat(wrongRedirect.status()).isEqualTo(400);
    assertThat(wrongRedirect.json().get("error").asString()).isEqualTo("invalid_grant");

    Map<String, String> second = client.authorize("single@example.com", scope(), Map.of());
    assertThat(client.exchange(second.get("code"), EmulatorClient.REDIRECT, null).status())
        .isEqualTo(200);
    Response reused = client.exchange(second.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().get("error").asString()).isEqualTo("invalid_grant");
    assertThat(reused.json().has("error_description")).isTrue();
  }

  @Test
  void codesExpireAfterTenMinutes() {
    Map<String, String> redirect = client.authorize("late@example.com", scope(), Map.of());
    CLOCK.advance(Duration.ofMinutes(11));
    Response late = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(late.status()).isEqualTo(400);
    assertThat(late.json().get("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void pkceVerifierMustMatchTheChallenge() throws Exception {
    String verifier = "verifier-" + "x".repeat(50);
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    Map<String, String> s256 =
        client.authorize(
            "pkce@example.com",
            scope(),
            Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
    Response wrong = client.exchange(s256.get("code"), EmulatorClient.REDIRECT, "not-the-verifier");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().get("error").asString()).isEqualTo("invalid_grant");

    Map<String, String> again =
        client.authorize(
            "pkce@example.com",
            scope(),
            Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
    assertThat(client.exchange(again.get("code"), EmulatorClient.REDIRECT, null).status())
        .as("missing verifier")
        .isEqualTo(400);
    Map<String, String> third =
        client.authorize(
            "pkce@example.com",
            scope(),
            Map.of("code_challenge", challenge, "code_challenge_method", "S256"));
    assertThat(client.exchange(third.get("code"), EmulatorClient.REDIRECT, verifier).status())
        .isEqualTo(200);

    Map<String, String> plain =
        client.authorize("pkce@example.com", scope(), Map.of("code_challenge", verifier));
    assertThat(client.exchange(plain.get("code"), EmulatorClient.REDIRECT, verifier).status())
        .as("plain is the default method")
        .isEqualTo(200);
  }

  @Test
  void refreshTokensOnlyWithOfflineAccessOnFirstConsentOrForcedConsent() {
    Map<String, String> online = client.authorize("offline@example.com", scope(), Map.of());
    Response onlineToken = client.exchange(online.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(onlineToken.json().has("refresh_token")).as("online access").isFalse();

    client.postJson("/emulator/v1/accounts", "{\"email\":\"first@example.com\"}");
    Map<String, String> first =
        client.authorize("first@example.com", scope(), Map.of("access_type", "offline"));
    assertThat(
            client
                .exchange(first.get("code"), EmulatorClient.REDIRECT, null)
                .json()
                .has("refresh_token"))
        .as("first consent, offline")
        .isTrue();

    Map<String, String> repeat =
        client.authorize("first@example.com", scope(), Map.of("access_type", "offline"));
    assertThat(repeat.get("prompt")).isEqualTo("none");
    assertThat(
            client
                .exchange(repeat.get("code"), EmulatorClient.REDIRECT, null)
                .json()
                .has("refresh_token"))
        .as("already consented, no prompt=consent")
        .isFalse();

    Map<String, String> forced =
        client.authorize(
            "first@example.com", scope(), Map.of("access_type", "offline", "prompt", "consent"));
    Response forcedToken = client.exchange(forced.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(forcedToken.json().has("refresh_token")).as("prompt=consent").isTrue();

    Response refreshed = client.refresh(forcedToken.json().get("refresh_token").asString());
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.json().get("access_token").asString()).startsWith("ya29.");
    assertThat(refreshed.json().get("expires_in").asInt()).isEqualTo(3599);
    assertThat(refreshed.json().has("refresh_token")).as("refresh keeps the old one").isFalse();
  }

  @Test
  void clientAuthenticationByPostOrBasicAndInvalidClient() {
    Map<String, String> redirect =
        client.authorize("basic@example.com", scope(), Map.of("access_type", "offline"));
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", redirect.get("code"));
    form.put("redirect_uri", EmulatorClient.REDIRECT);
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (EmulatorOptions.DEFAULT_CLIENT_ID + ":" + EmulatorOptions.DEFAULT_CLIENT_SECRET)
                    .getBytes(StandardCharsets.UTF_8));
    Response viaBasic =
        client.send(
            HttpRequest.newBuilder(client.uri("/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(EmulatorClient.formEncode(form)))
                .build());
    assertThat(viaBasic.status()).isEqualTo(200);

    Map<String, String> wrongSecret = new LinkedHashMap<>();
    wrongSecret.put("grant_type", "refresh_token");
    wrongSecret.put("refresh_token", viaBasic.json().get("refresh_token").asString());
    wrongSecret.put("client_id", EmulatorOptions.DEFAULT_CLIENT_ID);
    wrongSecret.put("client_secret", "wrong");
    Response invalid = client.postForm("/token", wrongSecret);
    assertThat(invalid.status()).isEqualTo(401);
    assertThat(invalid.json().get("error").asString()).isEqualTo("invalid_client");

    wrongSecret.put("client_id", "unknown.apps.googleusercontent.com");
    Response unknown = client.postForm("/token", wrongSecret);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().get("error_description").asString())
        .isEqualTo("The OAuth client was not found.");
  }

  @Test
  void revocationMakesRefreshTokensAnswerInvalidGrant() {
    Map<String, String> redirect =
        client.authorize(
            "revoke@example.com", scope(), Map.of("access_type", "offline", "prompt", "consent"));
    Response token = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);
    String refresh = token.json().get("refresh_token").asString();
    String access = token.json().get("access_token").asString();

    Response revoked = client.postForm("/revoke", Map.of("token", access));
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body()).isEmpty();
    Response afterRevoke = client.refresh(refresh);
    assertThat(afterRevoke.status()).isEqualTo(400);
    assertThat(afterRevoke.json().get("error").asString()).isEqualTo("invalid_grant");
    assertThat(client.get("/v1/userinfo", access).status()).isEqualTo(401);

    Response unknown =
        client.send(
            HttpRequest.newBuilder(client.uri("/revoke?token=nope"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("error").asString()).isEqualTo("invalid_token");
  }

  @Test
  void revokeGrantsFromTheAdminApiKillsRefreshTokens() {
    Map<String, String> redirect =
        client.authorize(
            "grants@example.com", scope(), Map.of("access_type", "offline", "prompt", "consent"));
    String refresh =
        client
            .exchange(redirect.get("code"), EmulatorClient.REDIRECT, null)
            .json()
            .get("refresh_token")
            .asString();
    assertThat(client.refresh(refresh).status()).isEqualTo(200);

    Response revoke =
        client.send(
            HttpRequest.newBuilder(
                    client.uri("/emulator/v1/accounts/grants@example.com/revoke-grants"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(revoke.status()).isEqualTo(204);
    Response after = client.refresh(refresh);
    assertThat(after.status()).isEqualTo(400);
    assertThat(after.json().get("error").asString()).isEqualTo("invalid_grant");
    assertThat(after.json().get("error_description").asString())
        .isEqualTo("Token has been expired or revoked.");
  }

  @Test
  void consentPageAllowsGrantingFewerScopesAndDenying() {
    String query =
        EmulatorClient.formEncode(
            Map.of(
                "client_id",
                EmulatorOptions.DEFAULT_CLIENT_ID,
                "redirect_uri",
                EmulatorClient.REDIRECT,
                "response_type",
                "code",
                "scope",
                "openid email " + EmulatorClient.READONLY_SCOPE,
                "state",
                "s1"));
    Response page = client.get("/o/oauth2/v2/auth?" + query);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("name=\"email\"", "Allow", "Deny", "granted_scopes");

    Map<String, String> form = new LinkedHashMap<>(EmulatorClient.query("/?" + query));
    form.put("email", "page@example.com");
    form.put("granted_scopes", "openid email");
    form.put("action", "allow");
    Response allowed = client.postForm("/o/oauth2/v2/auth/consent", form);
    assertThat(allowed.status()).isEqualTo(302);
    Map<String, String> redirect =
        EmulatorClient.query(allowed.raw().headers().firstValue("Location").orElseThrow());
    assertThat(redirect.get("scope")).doesNotContain("calendar");
    Response token = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);
    Response list =
        client.get(
            "/calendar/v3/users/me/calendarList", token.json().get("access_token").asString());
    assertThat(list.status()).isEqualTo(403);
    assertThat(list.json().get("error").get("errors").get(0).get("reason").asString())
        .isEqualTo("insufficientPermissions");

    form.put("action", "deny");
    Response denied = client.postForm("/o/oauth2/v2/auth/consent", form);
    assertThat(denied.status()).isEqualTo(302);
    assertThat(EmulatorClient.query(denied.raw().headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "access_denied")
        .containsEntry("state", "s1");
  }

  @Test
  void authorizeValidatesItsParameters() {
    assertThat(client.get("/o/oauth2/v2/auth?response_type=code&scope=openid").status())
        .isEqualTo(400);
    assertThat(
            client
                .get(
                    "/o/oauth2/auth?client_id=nope&redirect_uri=http://x/&response_type=code"
                        + "&scope=openid")
                .status())
        .isEqualTo(401);
    assertThat(
            client
                .get(
                    "/o/oauth2/auth?client_id="
                        + EmulatorOptions.DEFAULT_CLIENT_ID
                        + "&response_type=code&scope=openid")
                .status())
        .as("missing redirect_uri")
        .isEqualTo(400);
    assertThat(
            client
                .get(
                    "/o/oauth2/auth?client_id="
                        + EmulatorOptions.DEFAULT_CLIENT_ID
                        + "&redirect_uri="
                        + EmulatorClient.REDIRECT
                        + "&response_type=token&scope=openid")
                .status())
        .isEqualTo(400);
    assertThat(
            client
                .get(
                    "/o/oauth2/auth?client_id="
                        + EmulatorOptions.DEFAULT_CLIENT_ID
                        + "&redirect_uri="
                        + EmulatorClient.REDIRECT
                        + "&response_type=code")
                .status())
        .as("missing scope")
        .isEqualTo(400);
  }

  @Test
  void incrementalAuthorizationAndPromptNone() {
    String email = "incremental-auth@example.com";
    Map<String, String> none = client.authorize(email, "openid", Map.of("prompt", "none"));
    assertThat(none).containsEntry("error", "consent_required").doesNotContainKey("code");

    client.authorize(email, "openid email", Map.of());
    Map<String, String> more =
        client.authorize(
            email, EmulatorClient.READONLY_SCOPE, Map.of("include_granted_scopes", "true"));
    assertThat(more.get("scope").split(" "))
        .contains(
            "openid",
            EmulatorClient.READONLY_SCOPE,
            "https://www.googleapis.com/auth/userinfo.email");
    Map<String, String> only = client.authorize(email, EmulatorClient.READONLY_SCOPE, Map.of());
    assertThat(only.get("scope")).isEqualTo(EmulatorClient.READONLY_SCOPE);

    Map<String, String> silent = client.authorize(email, "openid", Map.of("prompt", "none"));
    assertThat(silent).containsKey("code").containsEntry("prompt", "none");
  }

  @Test
  void optionalTestingModeExpiryAndRefreshTokenCap() {
    try (GoogleEmulator own =
        GoogleEmulator.start(
            EmulatorOptions.defaults()
                .withRedirectUris(EmulatorClient.REDIRECT)
                .withClock(CLOCK))) {
      EmulatorClient ownClient = new EmulatorClient(own);
      Response settings =
          ownClient.send(
              HttpRequest.newBuilder(ownClient.uri("/emulator/v1/oauth-settings"))
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"refresh_token_lifetime_seconds\":604800,\"max_refresh_tokens\":2}"))
                  .build());
      assertThat(settings.status()).isEqualTo(200);
      assertThat(settings.json().get("max_refresh_tokens").asInt()).isEqualTo(2);

      String[] refresh = new String[3];
      for (int i = 0; i < 3; i++) {
        Map<String, String> redirect =
            ownClient.authorize(
                "testing@example.com",
                scope(),
                Map.of("access_type", "offline", "prompt", "consent"));
        refresh[i] =
            ownClient
                .exchange(redirect.get("code"), EmulatorClient.REDIRECT, null)
                .json()
                .get("refresh_token")
                .asString();
      }
      assertThat(ownClient.refresh(refresh[0]).status()).as("oldest over the cap").isEqualTo(400);
      assertThat(ownClient.refresh(refresh[2]).status()).isEqualTo(200);

      CLOCK.advance(Duration.ofDays(7));
      Response expired = ownClient.refresh(refresh[2]);
      assertThat(expired.status()).isEqualTo(400);
      assertThat(expired.json().get("error").asString()).isEqualTo("invalid_grant");
    }
  }
}
