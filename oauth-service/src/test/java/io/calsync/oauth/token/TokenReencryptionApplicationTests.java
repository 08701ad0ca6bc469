package io.calsync.oauth.token;

import static io.calsync.oauth.support.Browser.management;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static io.calsync.oauth.support.TestInfrastructure.tokenKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenSlot;
import io.calsync.oauth.persistence.ConnectionTokenRepository;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.LegacyCiphertexts;
import io.calsync.oauth.support.OAuthServiceTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * The slot binding and the background re-encryption in the running service: rows of the build
 * before migration V2 keep working and are rebound, and a ciphertext moved to another connection or
 * column is refused without revealing any token.
 */
@OAuthServiceTest
class TokenReencryptionApplicationTests {

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  @LocalManagementPort int managementPort;
  @Autowired DatabaseClient db;
  @Autowired TokenCipher cipher;
  @Autowired ConnectionTokenRepository tokens;
  @Autowired TokenReencryption reencryption;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  @Test
  void shouldKeepLegacyRowsReadableAndRebindThemToTheirSlot() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String access = browser.accessToken(id).accessToken();
    StoredTokens stored = tokens.find(id).block();
    String refresh = cipher.decrypt(stored.refresh(), TokenSlot.refresh(id)).block();
    // As the build before V2 wrote the row: legacy associated data, no format for the refresh
    // token.
    db.sql(
            """
            update connection_tokens set
                access_token_ciphertext = :access, access_key_version = 1, access_aad_format = 1,
                refresh_token_ciphertext = :refresh, refresh_key_version = 1, refresh_aad_format = null
            where connection_id = :id
            """)
        .bind("access", LegacyCiphertexts.localAesGcm(tokenKey(), 1, access))
        .bind("refresh", LegacyCiphertexts.localAesGcm(tokenKey(), 1, refresh))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .block();

    assertThat(browser.accessToken(id).accessToken()).isEqualTo(access);

    reencryption.runOnce().as(StepVerifier::create).expectNextCount(1).verifyComplete();

    Map<String, Object> row = row(id);
    assertThat(row).containsEntry("access_aad_format", 2).containsEntry("refresh_aad_format", 2);
    assertThat(row).containsEntry("access_key_version", 1).containsEntry("refresh_key_version", 1);
    assertThat(browser.accessToken(id).accessToken()).isEqualTo(access);
    // The re-encrypted refresh token still refreshes at Google.
    clock.advance(Duration.ofMinutes(59));
    String refreshed = browser.accessToken(id).accessToken();
    assertThat(refreshed).isNotEqualTo(access);
    assertThat(GoogleTestSupport.userInfoStatus(refreshed)).isEqualTo(200);
  }

  @Test
  void shouldPublishTheReencryptionMetrics() {
    reencryption.runOnce().as(StepVerifier::create).expectNextCount(1).verifyComplete();

    String metrics =
        management(managementPort)
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains(
            "calsync_oauth_token_reencryptions_total{application=\"oauth-service\",outcome=\"reencrypted\"}")
        .contains("calsync_oauth_token_reencryption_pending{application=\"oauth-service\"} 0.0");
  }

  @Test
  void whenAnAccessCiphertextIsCopiedFromAnotherConnectionThenItIsRefusedWithoutRevealingAToken() {
    UUID source = browser.connect(newUser(), newGoogleAccount());
    UUID victim = browser.connect(newUser(), newGoogleAccount());
    String sourceAccess = browser.accessToken(source).accessToken();
    String victimAccess = browser.accessToken(victim).accessToken();
    db.sql(
            """
            update connection_tokens set
                (access_token_ciphertext, access_key_version, access_aad_format) =
                (select access_token_ciphertext, access_key_version, access_aad_format
                 from connection_tokens where connection_id = :source)
            where connection_id = :victim
            """)
        .bind("source", source)
        .bind("victim", victim)
        .fetch()
        .rowsUpdated()
        .block();

    String body = refused(victim);

    assertThat(body).doesNotContain(sourceAccess).doesNotContain(victimAccess);
    assertThat(body).doesNotContain(tokens.find(victim).block().access().ciphertext());
    assertThat(browser.accessToken(source).accessToken()).isEqualTo(sourceAccess);
  }

  @Test
  void whenTheAccessCiphertextIsCopiedIntoTheRefreshColumnThenTheRefreshIsRefused() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String access = browser.accessToken(id).accessToken();
    db.sql(
            """
            update connection_tokens set
                refresh_token_ciphertext = access_token_ciphertext,
                refresh_key_version = access_key_version,
                refresh_aad_format = access_aad_format
            where connection_id = :id
            """)
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .block();
    long tokenRequests = GoogleTestSupport.requests("token");
    clock.advance(Duration.ofMinutes(59)); // the access token is due for a refresh

    assertThat(refused(id)).doesNotContain(access);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);
  }

  /** The internal access-token API refuses: a problem without details. */
  private String refused(UUID id) {
    return browser
        .internalAccessToken(id)
        .expectStatus()
        .isEqualTo(500)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> row(UUID id) {
    return db.sql("select * from connection_tokens where connection_id = :id")
        .bind("id", id)
        .fetch()
        .one()
        .block();
  }
}
