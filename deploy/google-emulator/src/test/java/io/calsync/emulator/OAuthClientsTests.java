package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.emulator.EmulatorClient.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * More than one OAuth client, as at Google: each with its own secret and redirect URIs, grants,
 * codes and tokens bound to the client that asked (real HTTP).
 */
class OAuthClientsTests {

  static final String A = EmulatorOptions.DEFAULT_CLIENT_ID;
  static final String A_SECRET = EmulatorOptions.DEFAULT_CLIENT_SECRET;
  static final String A_REDIRECT = EmulatorClient.REDIRECT;
  static final String B = "2222-mobile.apps.googleusercontent.com";
  static final String B_SECRET = "mobile-secret";
  static final String B_REDIRECT = "http://localhost:9000/oauth/callback";
  static final String SCOPES = "openid email " + EmulatorClient.CALENDAR_SCOPE;

  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator =
        GoogleEmulator.start(
            EmulatorOptions.defaults()
                .withRedirectUris(A_REDIRECT)
                .withExtraClient(B, B_SECRET, B_REDIRECT));
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Map<String, String> offline() {
    return Map.of("access_type", "offline");
  }

  static String authorizeParams(String clientId, String redirectUri, String email) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("response_type", "code");
    params.put("scope", SCOPES);
    params.put("login_hint", email);
    return EmulatorClient.formEncode(params);
  }

  @Test
  void aSecondClientCompletesTheWholeFlowWithItsOwnRedirectUriAndSecret() {
    Map<String, String> redirect =
        client.authorize(B, B_REDIRECT, "second@example.com", SCOPES, offline());
    assertThat(redirect).containsKey("code").containsEntry("prompt", "consent");

    Response token = client.exchange(B, B_SECRET, redirect.get("code"), B_REDIRECT);
    assertThat(token.status()).isEqualTo(200);
    String accessToken = token.json().get("access_token").asString();
    String refreshToken = token.json().get("refresh_token").asString();
    assertThat(client.get("/calendar/v3/users/me/calendarList", accessToken).status())
        .isEqualTo(200);
    assertThat(client.get("/v1/userinfo", accessToken).json().get("email").asString())
        .isEqualTo("second@example.com");

    Response refreshed = client.refresh(B, B_SECRET, refreshToken);
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.json().get("access_token").asString()).startsWith("ya29.");

    Response wrongSecret = client.refresh(B, A_SECRET, refreshToken);
    assertThat(wrongSecret.status()).isEqualTo(401);
    assertThat(wrongSecret.json().get("error").asString()).isEqualTo("invalid_client");
    Response unknown = client.refresh("3333-unknown.apps.googleusercontent.com", B_SECRET, "x");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().get("error").asString()).isEqualTo("invalid_client");
  }

  @Test
  void grantsArePerClient() {
    client.authorize(A, A_REDIRECT, "grants@example.com", SCOPES, Map.of());
    Response silentForB =
        client.get(
            "/o/oauth2/v2/auth?"
                + authorizeParams(B, B_REDIRECT, "grants@example.com")
                + "&prompt=none");
    assertThat(silentForB.status()).isEqualTo(302);
    assertThat(
            EmulatorClient.query(silentForB.raw().headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "consent_required");

    Map<String, String> firstForB =
        client.authorize(B, B_REDIRECT, "grants@example.com", SCOPES, offline());
    assertThat(firstForB).containsEntry("prompt", "consent");
    assertThat(
            client
                .exchange(B, B_SECRET, firstForB.get("code"), B_REDIRECT)
                .json()
                .has("refresh_token"))
        .as("the first consent of this user for client B brings a refresh token")
        .isTrue();
  }

  @Test
  void aRefreshTokenOfOneClientPresentedByAnotherIsUnauthorizedClient() {
    Map<String, String> redirect =
        client.authorize(A, A_REDIRECT, "cross@example.com", SCOPES, offline());
    String refreshOfA =
        client
            .exchange(A, A_SECRET, redirect.get("code"), A_REDIRECT)
            .json()
            .get("refresh_token")
            .asString();

    Response byB = client.refresh(B, B_SECRET, refreshOfA);
    assertThat(byB.status()).isEqualTo(401);
    assertThat(byB.json().get("error").asString()).isEqualTo("unauthorized_client");
    assertThat(byB.json().get("error_description").asString()).isEqualTo("Unauthorized");
    assertThat(byB.body()).doesNotContain(refreshOfA);

    assertThat(client.refresh(A, A_SECRET, refreshOfA).status())
        .as("the refused attempt leaves the token working for its own client")
        .isEqualTo(200);
  }

  @Test
  void aCodeOfOneClientPresentedByAnotherIsInvalidGrant() {
    Map<String, String> redirect =
        client.authorize(A, A_REDIRECT, "stolen@example.com", SCOPES, Map.of());
    Response byB = client.exchange(B, B_SECRET, redirect.get("code"), A_REDIRECT);
    assertThat(byB.status()).isEqualTo(400);
    assertThat(byB.json().get("error").asString()).isEqualTo("invalid_grant");
    assertThat(client.exchange(A, A_SECRET, redirect.get("code"), A_REDIRECT).status())
        .as("the attempt spent the code (README decision 9)")
        .isEqualTo(400);
  }

  @Test
  void theIdTokenNamesTheClientThatAskedForIt() {
    Map<String, String> forA = client.authorize(A, A_REDIRECT, "aud@example.com", SCOPES, Map.of());
    JsonNode claimsA = claims(client.exchange(A, A_SECRET, forA.get("code"), A_REDIRECT).json());
    assertThat(claimsA.get("aud").asString()).isEqualTo(A);
    assertThat(claimsA.get("azp").asString()).isEqualTo(A);

    Map<String, String> forB =
        client.authorize(B, B_REDIRECT, "aud@example.com", SCOPES, offline());
    Response tokenB = client.exchange(B, B_SECRET, forB.get("code"), B_REDIRECT);
    JsonNode claimsB = claims(tokenB.json());
    assertThat(claimsB.get("aud").asString()).isEqualTo(B);
    assertThat(claimsB.get("azp").asString()).isEqualTo(B);
    assertThat(claimsB.get("sub").asString()).isEqualTo(claimsA.get("sub").asString());

    Response refreshedB =
        client.refresh(B, B_SECRET, tokenB.json().get("refresh_token").asString());
    assertThat(claims(refreshedB.json()).get("aud").asString()).isEqualTo(B);
  }

  @Test
  void eachClientAcceptsOnlyItsOwnRedirectUris() {
    for (String path : new String[] {"/o/oauth2/v2/auth?", "/o/oauth2/auth?"}) {
      Response aWithB = client.get(path + authorizeParams(A, B_REDIRECT, "uris@example.com"));
      assertThat(aWithB.status()).as(path).isEqualTo(400);
      assertThat(aWithB.raw().headers().firstValue("Location")).as(path).isEmpty();
      assertThat(aWithB.body()).contains("redirect_uri_mismatch");

      Response bWithA = client.get(path + authorizeParams(B, A_REDIRECT, "uris@example.com"));
      assertThat(bWithA.status()).as(path).isEqualTo(400);
      assertThat(bWithA.raw().headers().firstValue("Location")).as(path).isEmpty();
      assertThat(bWithA.body()).contains("redirect_uri_mismatch");

      Response bWithB = client.get(path + authorizeParams(B, B_REDIRECT, "uris@example.com"));
      assertThat(bWithB.status()).as(path).isEqualTo(302);
      assertThat(bWithB.raw().headers().firstValue("Location").orElseThrow())
          .startsWith(B_REDIRECT + "?");
    }
  }

  @Test
  void theStandaloneEnvironmentRegistersExtraClients() {
    EmulatorOptions options =
        GoogleEmulator.fromEnvironment(
            Map.of(
                "GOOGLE_EMULATOR_PORT",
                "0",
                "GOOGLE_EXTRA_CLIENTS",
                " cli-1,s1,http://localhost:1/cb,http://localhost:2/cb ; cli-2,s2 "));
    assertThat(options.clients())
        .extracting(EmulatorOptions.Client::id)
        .containsExactly(A, "cli-1", "cli-2");
    assertThat(options.clients().get(1).redirectUris())
        .containsExactly("http://localhost:1/cb", "http://localhost:2/cb");
    try (GoogleEmulator standalone = GoogleEmulator.start(options)) {
      EmulatorClient other = new EmulatorClient(standalone);
      Map<String, String> redirect =
          other.authorize("cli-1", "http://localhost:2/cb", "env@example.com", SCOPES, offline());
      Response token = other.exchange("cli-1", "s1", redirect.get("code"), "http://localhost:2/cb");
      assertThat(token.status()).isEqualTo(200);
      Response byCli2 = other.refresh("cli-2", "s2", token.json().get("refresh_token").asString());
      assertThat(byCli2.json().get("error").asString()).isEqualTo("unauthorized_client");
    }

    assertThatThrownBy(
            () ->
                GoogleEmulator.fromEnvironment(
                    Map.of("GOOGLE_EXTRA_CLIENTS", "only-an-id-with-secret-missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GOOGLE_EXTRA_CLIENTS")
        .hasMessageNotContaining("only-an-id");
    assertThatThrownBy(
            () ->
                GoogleEmulator.fromEnvironment(
                    Map.of("GOOGLE_EXTRA_CLIENTS", ",a-secret,http://localhost:1/cb")))
        .as("an empty id does not make the secret the id")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GOOGLE_EXTRA_CLIENTS")
        .hasMessageNotContaining("a-secret");
    assertThatThrownBy(
            () ->
                GoogleEmulator.fromEnvironment(
                    Map.of("GOOGLE_EXTRA_CLIENTS", A + ",another-secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registered twice")
        .hasMessageNotContaining("another-secret");
  }

  /** The payload of the response's id_token. */
  static JsonNode claims(JsonNode tokenResponse) {
    String[] parts = tokenResponse.get("id_token").asString().split("\\.");
    return EmulatorClient.JSON.readTree(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
  }
}
