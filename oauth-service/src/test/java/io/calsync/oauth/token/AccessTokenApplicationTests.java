package io.calsync.oauth.token;

import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.AccessTokenRequest;
import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.KafkaRecords;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The internal access-token API as sync-service uses it. */
@OAuthServiceTest
class AccessTokenApplicationTests {

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  @AfterEach
  void clearFaults() {
    GoogleTestSupport.clearFaults();
  }

  @Test
  void shouldHandOutTheStoredTokenWhileItIsFresh() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    long tokenRequests = GoogleTestSupport.requests("token");

    AccessTokenResponse first = browser.accessToken(id);
    AccessTokenResponse second = browser.accessToken(id);

    assertThat(second.accessToken()).isEqualTo(first.accessToken());
    assertThat(first.expiresAt()).isAfter(OffsetDateTime.now().plusMinutes(50));
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);
    assertThat(GoogleTestSupport.userInfoStatus(first.accessToken())).isEqualTo(200);
  }

  @Test
  void shouldAnswerSnakeCaseWithoutCaching() {
    UUID id = browser.connect(newUser(), newGoogleAccount());

    browser
        .internalAccessToken(id)
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectHeader()
        .cacheControl(org.springframework.http.CacheControl.noStore())
        .expectBody()
        .jsonPath("$.access_token")
        .isNotEmpty()
        .jsonPath("$.expires_at")
        .isNotEmpty();
  }

  @Test
  void whenTheTokenIsAboutToExpireThenItIsRefreshedAtGoogle() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    AccessTokenResponse before = browser.accessToken(id);
    long tokenRequests = GoogleTestSupport.requests("token");

    clock.advance(Duration.ofMinutes(59)); // less than 120 s left

    AccessTokenResponse after = browser.accessToken(id);
    assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
    assertThat(after.expiresAt()).isAfter(before.expiresAt());
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
    assertThat(GoogleTestSupport.userInfoStatus(after.accessToken())).isEqualTo(200);
    // The refresh answer had no refresh token: the stored one still works for the next refresh.
    clock.advance(Duration.ofMinutes(59));
    assertThat(browser.accessToken(id).accessToken()).isNotEqualTo(after.accessToken());
  }

  @Test
  void whenManyCallersNeedARefreshAtOnceThenGoogleIsAskedOnce() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    clock.advance(Duration.ofMinutes(59));
    long tokenRequests = GoogleTestSupport.requests("token");

    List<CompletableFuture<AccessTokenResponse>> calls =
        IntStream.range(0, 6)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> browser.accessToken(id)))
            .toList();
    Set<String> tokens =
        calls.stream()
            .map(CompletableFuture::join)
            .map(AccessTokenResponse::accessToken)
            .collect(Collectors.toSet());

    assertThat(tokens).hasSize(1);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
  }

  @Test
  void whenTheGrantWasRevokedAtGoogleThenReauthIsRequiredAndAnnounced() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);
    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));

    browser
        .internalAccessToken(id)
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("reauth_required")
        .jsonPath("$.type")
        .isEqualTo("https://calsync.io/problems/reauth_required");
    long tokenRequests = GoogleTestSupport.requests("token");
    browser.internalAccessToken(id).expectStatus().isEqualTo(409);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);

    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange()
        .expectBody()
        .jsonPath("$.connections[0].status")
        .isEqualTo("reauth_required");

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(id.toString(), 2);
    ConsumerRecord<String, String> last = records.get(records.size() - 1);
    assertThat(KafkaRecords.header(last, CloudEventHeaders.TYPE))
        .isEqualTo("connection.reauth_required");
    ConnectionMessage message =
        CalendarJson.mapper().readValue(last.value(), ConnectionMessage.class);
    assertThat(message).isInstanceOf(ConnectionReauthRequired.class);
    assertThat(((ConnectionReauthRequired) message).reason()).isEqualTo("invalid_grant");
    assertThat(message.userId()).isEqualTo(user);
  }

  @Test
  void whenGoogleRejectedTheCurrentTokenThenAForcedRefreshHandsOutANewOne() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    AccessTokenResponse rejected = browser.accessToken(id);
    long tokenRequests = GoogleTestSupport.requests("token");

    AccessTokenResponse refreshed = forcedRefresh(id, rejected.accessToken());

    assertThat(refreshed.accessToken()).isNotEqualTo(rejected.accessToken());
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
    assertThat(GoogleTestSupport.userInfoStatus(refreshed.accessToken())).isEqualTo(200);
    // the new token is the stored one now: a plain call hands it out without asking Google
    assertThat(browser.accessToken(id).accessToken()).isEqualTo(refreshed.accessToken());
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
  }

  @Test
  void whenManyCallersReportTheSameRejectedTokenThenGoogleIsAskedOnce() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String rejected = browser.accessToken(id).accessToken();
    long tokenRequests = GoogleTestSupport.requests("token");

    List<CompletableFuture<AccessTokenResponse>> calls =
        IntStream.range(0, 6)
            .mapToObj(i -> CompletableFuture.supplyAsync(() -> forcedRefresh(id, rejected)))
            .toList();
    Set<String> tokens =
        calls.stream()
            .map(CompletableFuture::join)
            .map(AccessTokenResponse::accessToken)
            .collect(Collectors.toSet());

    assertThat(tokens).hasSize(1).doesNotContain(rejected);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
  }

  @Test
  void whenTheRejectedTokenIsNoLongerTheCurrentOneThenGoogleIsNotAsked() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String old = browser.accessToken(id).accessToken();
    String current = forcedRefresh(id, old).accessToken();
    long tokenRequests = GoogleTestSupport.requests("token");

    assertThat(forcedRefresh(id, old).accessToken()).isEqualTo(current);
    assertThat(forcedRefresh(id, "not-a-token-we-ever-handed-out").accessToken())
        .isEqualTo(current);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);
  }

  @Test
  void whenTheBodyIsEmptyOrHasNoRejectedTokenThenTheStoredTokenIsHandedOut() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String stored = browser.accessToken(id).accessToken();
    long tokenRequests = GoogleTestSupport.requests("token");

    for (String body : List.of("{}", "{\"rejected_access_token\": null}")) {
      browser
          .internalAccessToken(id, body)
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.access_token")
          .isEqualTo(stored);
    }
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);
    browser
        .internalAccessToken(id, "{not json")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_body");
  }

  @Test
  void whenTheGrantWasRevokedThenAForcedRefreshAnswers409AtOnceAndAnnouncesIt() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);
    String rejected = browser.accessToken(id).accessToken();
    GoogleTestSupport.revokeGrants(email); // the stored token is far from its expiry

    browser
        .internalAccessToken(id, forcedRefreshBody(rejected))
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("reauth_required")
        .jsonPath("$.access_token")
        .doesNotExist();
    long tokenRequests = GoogleTestSupport.requests("token");
    browser.internalAccessToken(id, forcedRefreshBody(rejected)).expectStatus().isEqualTo(409);
    browser.internalAccessToken(id).expectStatus().isEqualTo(409);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests);

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(id.toString(), 2);
    ConsumerRecord<String, String> last = records.get(records.size() - 1);
    assertThat(KafkaRecords.header(last, CloudEventHeaders.TYPE))
        .isEqualTo("connection.reauth_required");
    assertThat(last.value()).doesNotContain(rejected);
    ConnectionMessage message =
        CalendarJson.mapper().readValue(last.value(), ConnectionMessage.class);
    assertThat(((ConnectionReauthRequired) message).reason()).isEqualTo("invalid_grant");
  }

  @Test
  void whenReconnectedAfterReauthThenTheConnectionIsActiveAgain() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);
    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));
    browser.internalAccessToken(id).expectStatus().isEqualTo(409);
    clock.reset();

    assertThat(browser.connect(user, email)).isEqualTo(id);

    assertThat(GoogleTestSupport.userInfoStatus(browser.accessToken(id).accessToken()))
        .isEqualTo(200);
  }

  @Test
  void whenGoogleIsDownThenTheRefreshAnswers503AndNothingChanges() {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    clock.advance(Duration.ofMinutes(59));
    GoogleTestSupport.fault("token", 503, 3);

    browser
        .internalAccessToken(id)
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_unavailable");

    GoogleTestSupport.clearFaults();
    assertThat(GoogleTestSupport.userInfoStatus(browser.accessToken(id).accessToken()))
        .isEqualTo(200);
  }

  @Test
  void whenTheCallerHasNoTokensScopeThen403() {
    UUID id = browser.connect(newUser(), newGoogleAccount());

    web.post()
        .uri("/internal/v1/connections/{id}/access-token", id)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("openid"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden");
    web.post()
        .uri("/internal/v1/connections/{id}/access-token", id)
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void whenAWebClientUserTokenCarriesTheTokensScopeThen403() {
    // the attack: a user asks the issuer for calendar.tokens and reads another user's Google token
    UUID victims = browser.connect(newUser(), newGoogleAccount());

    expectForbidden(victims, Tokens.userWithScope(newUser(), "openid calendar calendar.tokens"));
    expectForbidden(victims, Tokens.userWithScope("sync-service", "calendar.tokens"));
  }

  @Test
  void whenAnotherClientsServiceTokenAsksThen403() {
    UUID id = browser.connect(newUser(), newGoogleAccount());

    expectForbidden(id, Tokens.serviceOf("reporting-job", "calendar-internal", "calendar.tokens"));
  }

  @Test
  void whenSyncServicesTokenIsForTheUserAudienceThen403() {
    UUID id = browser.connect(newUser(), newGoogleAccount());

    expectForbidden(id, Tokens.serviceOf("sync-service", "calendar", "calendar.tokens"));
  }

  @Test
  void whenSyncServiceAsksWithItsOwnTokenThen200() {
    UUID id = browser.connect(newUser(), newGoogleAccount());

    browser.internalAccessToken(id).expectStatus().isOk();
  }

  @Test
  void whenAServiceTokenCallsThePublicApiThen403() {
    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden");
  }

  private AccessTokenResponse forcedRefresh(UUID connectionId, String rejected) {
    return browser
        .internalAccessToken(connectionId, forcedRefreshBody(rejected))
        .expectStatus()
        .isOk()
        .expectBody(AccessTokenResponse.class)
        .returnResult()
        .getResponseBody();
  }

  private static String forcedRefreshBody(String rejected) {
    return CalendarJson.mapper().writeValueAsString(new AccessTokenRequest(rejected));
  }

  private void expectForbidden(UUID connectionId, String bearer) {
    web.post()
        .uri("/internal/v1/connections/{id}/access-token", connectionId)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden")
        .jsonPath("$.access_token")
        .doesNotExist();
  }
}
