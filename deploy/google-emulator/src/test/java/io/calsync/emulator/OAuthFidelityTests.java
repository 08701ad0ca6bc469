package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.emulator.EmulatorClient.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OAuth where Google is stricter than a lenient stand-in would be: real HTTP. */
class OAuthFidelityTests {

  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator =
        GoogleEmulator.start(EmulatorOptions.defaults().withRedirectUris(EmulatorClient.REDIRECT));
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Map<String, String> authorizeParams(String redirectUri) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", EmulatorOptions.DEFAULT_CLIENT_ID);
    params.put("redirect_uri", redirectUri);
    params.put("response_type", "code");
    params.put("scope", "openid email");
    params.put("login_hint", "strict@example.com");
    return params;
  }

  @Test
  void userinfoTellsTheEmailOnlyWithTheEmailScope() {
    Map<String, String> withoutEmail =
        client.authorize(
            "noemail@example.com", "openid " + EmulatorClient.READONLY_SCOPE, Map.of());
    Response token = client.exchange(withoutEmail.get("code"), EmulatorClient.REDIRECT, null);
    Response info = client.get("/v1/userinfo", token.json().get("access_token").asString());
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().get("sub").asString()).hasSize(21);
    assertThat(info.json().has("email")).isFalse();
    assertThat(info.json().has("email_verified")).isFalse();

    Map<String, String> withEmail =
        client.authorize("noemail@example.com", "openid email", Map.of());
    Response emailToken = client.exchange(withEmail.get("code"), EmulatorClient.REDIRECT, null);
    Response full = client.get("/v1/userinfo", emailToken.json().get("access_token").asString());
    assertThat(full.json().get("email").asString()).isEqualTo("noemail@example.com");
    assertThat(full.json().get("email_verified").asBoolean()).isTrue();
  }

  @Test
  void anUnregisteredRedirectUriGetsTheMismatchPageAndNoRedirect() {
    String registered =
        EmulatorClient.REDIRECT; // http://localhost:8080/api/calendar/google/callback/
    for (String near :
        new String[] {
          registered.substring(0, registered.length() - 1), // no trailing slash
          registered.replace("localhost:8080", "localhost:8081"), // port
          registered.replace("http://", "https://"), // scheme
          registered.replace("localhost", "127.0.0.1"), // host
          registered.replace("/callback/", "/Callback/"), // path case
          "http://evil.example.com/callback/"
        }) {
      Response page =
          client.get("/o/oauth2/v2/auth?" + EmulatorClient.formEncode(authorizeParams(near)));
      assertThat(page.status()).as(near).isEqualTo(400);
      assertThat(page.raw().headers().firstValue("Location")).as(near).isEmpty();
      assertThat(page.body()).contains("redirect_uri_mismatch");
    }
    Response ok =
        client.get("/o/oauth2/v2/auth?" + EmulatorClient.formEncode(authorizeParams(registered)));
    assertThat(ok.status()).isEqualTo(302);
  }

  @Test
  void theLegacyAuthorizePathWorksLikeV2() {
    Map<String, String> params = authorizeParams(EmulatorClient.REDIRECT);
    params.put("state", "legacy");
    Response response = client.get("/o/oauth2/auth?" + EmulatorClient.formEncode(params));
    assertThat(response.status()).isEqualTo(302);
    Map<String, String> redirect =
        EmulatorClient.query(response.raw().headers().firstValue("Location").orElseThrow());
    assertThat(response.raw().headers().firstValue("Location").orElseThrow())
        .startsWith(EmulatorClient.REDIRECT + "?");
    assertThat(redirect)
        .containsEntry("state", "legacy")
        .containsEntry("iss", "https://accounts.google.com");
    assertThat(client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null).status())
        .isEqualTo(200);
  }

  @Test
  void missingOrRepeatedTokenParametersAreInvalidRequest() {
    Map<String, String> redirect = client.authorize("params@example.com", "openid", Map.of());
    Map<String, String> noCode = new LinkedHashMap<>();
    noCode.put("grant_type", "authorization_code");
    noCode.put("redirect_uri", EmulatorClient.REDIRECT);
    noCode.put("client_id", EmulatorOptions.DEFAULT_CLIENT_ID);
    noCode.put("client_secret", EmulatorOptions.DEFAULT_CLIENT_SECRET);
    assertInvalidRequest(client.postForm("/token", noCode));

    Map<String, String> noSecret = new LinkedHashMap<>(noCode);
    noSecret.remove("client_secret");
    noSecret.put("code", redirect.get("code"));
    assertInvalidRequest(client.postForm("/token", noSecret));

    Map<String, String> noRedirect = new LinkedHashMap<>(noCode);
    noRedirect.remove("redirect_uri");
    noRedirect.put("code", redirect.get("code"));
    assertInvalidRequest(client.postForm("/token", noRedirect));

    Map<String, String> noRefreshToken = new LinkedHashMap<>(noCode);
    noRefreshToken.put("grant_type", "refresh_token");
    assertInvalidRequest(client.postForm("/token", noRefreshToken));

    Map<String, String> withCode = new LinkedHashMap<>(noCode);
    withCode.put("code", redirect.get("code"));
    String repeated = EmulatorClient.formEncode(withCode) + "&grant_type=authorization_code";
    assertInvalidRequest(
        client.send(
            java.net.http.HttpRequest.newBuilder(client.uri("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(repeated))
                .build()));
    assertThat(client.postForm("/token", withCode).status())
        .as("the code was not spent by the refused requests")
        .isEqualTo(200);
  }

  static void assertInvalidRequest(Response response) {
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
    assertThat(response.json().get("error_description").asString()).isNotBlank();
  }
}
