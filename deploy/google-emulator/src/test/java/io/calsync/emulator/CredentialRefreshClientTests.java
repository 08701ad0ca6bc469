package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.auth.oauth2.BearerToken;
import com.google.api.client.auth.oauth2.ClientParametersAuthentication;
import com.google.api.client.auth.oauth2.Credential;
import com.google.api.client.auth.oauth2.TokenResponse;
import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import io.calsync.contract.testing.MutableClock;
import io.calsync.emulator.EmulatorClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java client's own OAuth machinery against the emulator: on 401 for an expired token the
 * Credential refreshes at /token and retries; after revocation the refresh fails with
 * invalid_grant.
 */
class CredentialRefreshClientTests {

  @Test
  void credentialRefreshesOn401AndFailsWithInvalidGrantAfterRevocation() throws Exception {
    MutableClock clock = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
    try (GoogleEmulator emulator =
        GoogleEmulator.start(
            EmulatorOptions.defaults()
                .withRedirectUris(EmulatorClient.REDIRECT)
                .withClock(clock))) {
      EmulatorClient client = new EmulatorClient(emulator);
      Map<String, String> redirect =
          client.authorize(
              "credential@example.com",
              "openid email " + EmulatorClient.READONLY_SCOPE,
              Map.of("access_type", "offline", "prompt", "consent"));
      Response token = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);

      Credential credential =
          new Credential.Builder(BearerToken.authorizationHeaderAccessMethod())
              .setTransport(new NetHttpTransport())
              .setJsonFactory(GsonFactory.getDefaultInstance())
              .setTokenServerEncodedUrl(emulator.baseUrl() + "/token")
              .setClientAuthentication(
                  new ClientParametersAuthentication(
                      EmulatorOptions.DEFAULT_CLIENT_ID, EmulatorOptions.DEFAULT_CLIENT_SECRET))
              .build()
              .setFromTokenResponse(
                  new TokenResponse()
                      .setAccessToken(token.json().get("access_token").asString())
                      .setRefreshToken(token.json().get("refresh_token").asString())
                      .setExpiresInSeconds(3599L));
      Calendar calendar =
          new Calendar.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), credential)
              .setRootUrl(emulator.baseUrl() + "/")
              .setApplicationName("credential-test")
              .build();
      String original = credential.getAccessToken();
      assertThat(calendar.events().list("primary").execute().getItems()).isEmpty();

      // The emulator's clock passes the expiry; the Credential's own clock does not: it learns
      // from the 401, refreshes and retries once.
      clock.advance(Duration.ofHours(2));
      assertThat(calendar.calendarList().list().execute().getItems()).hasSize(1);
      assertThat(credential.getAccessToken()).isNotEqualTo(original).startsWith("ya29.");
      assertThat(credential.getRefreshToken())
          .isEqualTo(token.json().get("refresh_token").asString());

      client.postJson("/emulator/v1/accounts/credential@example.com/revoke-grants", "");
      assertThatThrownBy(credential::refreshToken)
          .isInstanceOfSatisfying(
              TokenResponseException.class,
              e -> assertThat(e.getDetails().getError()).isEqualTo("invalid_grant"));
    }
  }
}
