package io.calsync.oauth.connect;

import static io.calsync.oauth.support.Browser.BINDING_COOKIE;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static io.calsync.oauth.support.Browser.queryParam;
import static io.calsync.oauth.support.TestInfrastructure.WEB_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ConnectionResponse;
import io.calsync.contract.http.ConnectionStatus;
import io.calsync.contract.http.ConnectionsResponse;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenSlot;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.KafkaRecords;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The connect flow end to end: the service, the emulator over real HTTP, PostgreSQL and Kafka. */
@OAuthServiceTest
class ConnectApplicationTests {

  private static final String CALENDAR_READONLY =
      "https://www.googleapis.com/auth/calendar.readonly";

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  @Autowired DatabaseClient db;
  @Autowired TokenCipher cipher;
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
  void shouldConnectAGoogleAccountAndAnnounceIt() {
    String user = newUser();
    String email = newGoogleAccount();

    Map<String, String> redirect =
        GoogleTestSupport.consent(browser.authorizationUrl(user, "/dashboard"), email);
    URI location = browser.callback(redirect);

    assertThat(location.toString())
        .startsWith(WEB_BASE_URL + "/dashboard?calendar=connected&connection_id=");
    UUID id = UUID.fromString(queryParam(location, "connection_id"));

    ConnectionResponse connection = single(connections(user));
    assertThat(connection.id()).isEqualTo(id);
    assertThat(connection.provider()).isEqualTo("google");
    assertThat(connection.accountEmail()).isEqualTo(email);
    assertThat(connection.status()).isEqualTo(ConnectionStatus.ACTIVE);
    assertThat(connection.scopes()).contains(CALENDAR_READONLY);
    assertThat(connection.createdAt()).isNotNull();
    assertThat(connections(newUser()).connections()).isEmpty();

    assertTokensAreStoredEncrypted(id);

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(id.toString(), 1);
    ConsumerRecord<String, String> record = records.get(0);
    ConnectionMessage message =
        CalendarJson.mapper().readValue(record.value(), ConnectionMessage.class);
    assertThat(message).isInstanceOf(ConnectionConnected.class);
    ConnectionConnected connected = (ConnectionConnected) message;
    assertThat(connected.connectionId()).isEqualTo(id);
    assertThat(connected.userId()).isEqualTo(user);
    assertThat(connected.accountEmail()).isEqualTo(email);
    assertThat(connected.provider()).isEqualTo("google");
    assertThat(connected.scopes()).contains(CALENDAR_READONLY);
    assertThat(KafkaRecords.header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
    assertThat(KafkaRecords.header(record, CloudEventHeaders.TYPE))
        .isEqualTo("connection.connected");
    assertThat(KafkaRecords.header(record, CloudEventHeaders.SOURCE))
        .isEqualTo(CloudEventHeaders.SOURCE_OAUTH);
    assertThat(KafkaRecords.header(record, CloudEventHeaders.SUBJECT)).isEqualTo(id.toString());
    assertThat(KafkaRecords.header(record, CloudEventHeaders.CONTENT_TYPE))
        .isEqualTo("application/json");
    assertThat(KafkaRecords.header(record, CloudEventHeaders.ID)).isNotBlank();
    assertThat(java.time.OffsetDateTime.parse(KafkaRecords.header(record, CloudEventHeaders.TIME)))
        .isEqualTo(connected.occurredAt());
  }

  @Test
  void whenTheSameAccountReconnectsThenTheConnectionIsUpdatedAndTheRefreshTokenKept() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);
    String refreshBefore = refreshCiphertext(id);

    // Google sends no refresh token when offline access is not asked for again: it must not erase
    // ours.
    String withoutOffline =
        browser
            .authorizationUrl(user, null)
            .replace("&access_type=offline", "")
            .replace("&prompt=consent", "");
    URI location = browser.callback(GoogleTestSupport.consent(withoutOffline, email));

    assertThat(queryParam(location, "connection_id")).isEqualTo(id.toString());
    assertThat(connections(user).connections()).hasSize(1);
    assertThat(refreshCiphertext(id)).isEqualTo(refreshBefore);
    assertThat(KafkaRecords.await(id.toString(), 2))
        .extracting(r -> KafkaRecords.header(r, CloudEventHeaders.TYPE))
        .containsExactly("connection.connected", "connection.connected");
  }

  @Test
  void whenAnotherUserConnectsTheSameGoogleAccountThenTheyGetTheirOwnConnection() {
    String email = newGoogleAccount();
    UUID first = browser.connect(newUser(), email);
    UUID second = browser.connect(newUser(), email);

    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void whenTheConsentHappensInAnotherBrowserThenNoConnectionIsMade() {
    // RFC 9700 §4.7: mallory starts a flow and sends the Google link to a victim, whose browser
    // (without mallory's binding cookie) consents and follows Google's redirect to the callback.
    String mallory = newUser();
    String malloryBrowserBinding;
    Map<String, String> victimRedirect =
        GoogleTestSupport.consent(browser.authorizationUrl(mallory, null), newGoogleAccount());
    malloryBrowserBinding = browser.binding();

    assertThat(browser.callbackInAnotherBrowser(victimRedirect))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(mallory).connections()).isEmpty();
    // the state is spent: mallory cannot replay the victim's code from her own browser either
    assertThat(browser.callbackWithCookie(victimRedirect, malloryBrowserBinding))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(mallory).connections()).isEmpty();
  }

  @Test
  void whenTheBindingCookieIsAnotherFlowsThenTheCallbackIsRefused() {
    String user = newUser();
    Map<String, String> first =
        GoogleTestSupport.consent(browser.authorizationUrl(user, null), newGoogleAccount());
    String firstBinding = browser.binding();
    Map<String, String> second =
        GoogleTestSupport.consent(browser.authorizationUrl(user, null), newGoogleAccount());

    assertThat(browser.callbackWithCookie(second, firstBinding))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(browser.callbackWithCookie(first, firstBinding + "x"))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(user).connections()).isEmpty();
  }

  @Test
  void shouldBindTheFlowWithAnHttpOnlyLaxCookieScopedToTheCallback() {
    String setCookie =
        web.get()
            .uri("/api/calendar/google/authorize/")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(Void.class)
            .getResponseHeaders()
            .getFirst(HttpHeaders.SET_COOKIE);

    assertThat(setCookie)
        .startsWith(BINDING_COOKIE + "=")
        .contains(
            "; Path=/api/calendar/google/callback", "; Max-Age=600", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("Secure", "Domain");
    // 32 random bytes, base64url
    assertThat(setCookie.substring(BINDING_COOKIE.length() + 1, setCookie.indexOf(';')))
        .hasSize(43);
  }

  @Test
  void whenTheCallbackAnswersThenTheCookieIsClearedAndNoReferrerLeaves() {
    Map<String, String> redirect =
        GoogleTestSupport.consent(browser.authorizationUrl(newUser(), null), newGoogleAccount());

    var result = browser.callbackExchange(redirect, browser.binding());

    assertThat(result.getResponseHeaders().getLocation().toString()).contains("calendar=connected");
    assertThat(result.getResponseHeaders().getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(result.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE))
        .startsWith(BINDING_COOKIE + "=;")
        .contains("Max-Age=0", "Path=/api/calendar/google/callback");
  }

  @Test
  void whenTheStateIsUsedTwiceThenTheSecondCallbackIsRefused() {
    String user = newUser();
    Map<String, String> redirect =
        GoogleTestSupport.consent(browser.authorizationUrl(user, null), newGoogleAccount());

    assertThat(browser.callback(redirect).toString()).contains("calendar=connected");
    assertThat(browser.callback(redirect))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(user).connections()).hasSize(1);
  }

  @Test
  void whenTheStateHasExpiredThenTheCallbackIsRefused() {
    String user = newUser();
    Map<String, String> redirect =
        GoogleTestSupport.consent(browser.authorizationUrl(user, null), newGoogleAccount());

    clock.advance(Duration.ofMinutes(11));

    assertThat(browser.callback(redirect))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(user).connections()).isEmpty();
  }

  @Test
  void whenTheStateIsForgedThenTheCallbackIsRefused() {
    Map<String, String> redirect =
        new HashMap<>(
            GoogleTestSupport.consent(
                browser.authorizationUrl(newUser(), null), newGoogleAccount()));
    redirect.put("state", redirect.get("state") + "x");

    assertThat(browser.callback(redirect))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
  }

  @Test
  void whenTheUserDeniesAccessThenTheCallbackSaysSoAndTheStateIsSpent() {
    String user = newUser();
    String state = queryParam(URI.create(browser.authorizationUrl(user, "/settings")), "state");

    assertThat(browser.callback(Map.of("error", "access_denied", "state", state)))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=access_denied");
    assertThat(browser.callback(Map.of("code", "4/whatever", "state", state)))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
    assertThat(connections(user).connections()).isEmpty();
  }

  @Test
  void whenCalendarAccessIsNotGrantedThenNothingIsStored() {
    String user = newUser();
    String url = browser.authorizationUrl(user, null);
    String withoutCalendar =
        url.replace("%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.readonly", "");
    assertThat(withoutCalendar).isNotEqualTo(url);

    URI location = browser.callback(GoogleTestSupport.consent(withoutCalendar, newGoogleAccount()));

    assertThat(location)
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=insufficient_scope");
    assertThat(connections(user).connections()).isEmpty();
  }

  @Test
  void whenTheCodeExchangeFailsThenTheCallbackSaysSo() {
    String user = newUser();
    Map<String, String> redirect =
        GoogleTestSupport.consent(browser.authorizationUrl(user, null), newGoogleAccount());
    GoogleTestSupport.fault("token", 500, 1);

    assertThat(browser.callback(redirect))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=exchange_failed");
    assertThat(connections(user).connections()).isEmpty();
  }

  @Test
  void whenTheCodeIsMissingThenTheCallbackSaysInvalidState() {
    String state = queryParam(URI.create(browser.authorizationUrl(newUser(), null)), "state");

    assertThat(browser.callback(Map.of("state", state)))
        .hasToString(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
  }

  private void assertTokensAreStoredEncrypted(UUID id) {
    Map<String, Object> row =
        db.sql("select * from connection_tokens where connection_id = :id")
            .bind("id", id)
            .fetch()
            .one()
            .block();
    assertThat(row).isNotNull();
    String accessCiphertext = (String) row.get("access_token_ciphertext");
    String refreshCiphertext = (String) row.get("refresh_token_ciphertext");
    String access =
        cipher
            .decrypt(
                SealedToken.bound(accessCiphertext, (Integer) row.get("access_key_version")),
                TokenSlot.access(id))
            .block();
    String refresh =
        cipher
            .decrypt(
                SealedToken.bound(refreshCiphertext, (Integer) row.get("refresh_key_version")),
                TokenSlot.refresh(id))
            .block();
    assertThat(access).isNotBlank();
    assertThat(refresh).isNotBlank();
    assertThat(accessCiphertext).doesNotContain(access);
    assertThat(refreshCiphertext).doesNotContain(refresh);
    assertThat(browser.accessToken(id).accessToken()).isEqualTo(access);
    assertThat(GoogleTestSupport.userInfoStatus(access)).isEqualTo(200);
  }

  private String refreshCiphertext(UUID id) {
    return db.sql(
            "select refresh_token_ciphertext from connection_tokens where connection_id = :id")
        .bind("id", id)
        .map(r -> r.get(0, String.class))
        .one()
        .block();
  }

  private ConnectionsResponse connections(String user) {
    return web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(ConnectionsResponse.class)
        .returnResult()
        .getResponseBody();
  }

  private static ConnectionResponse single(ConnectionsResponse response) {
    assertThat(response.connections()).hasSize(1);
    return response.connections().get(0);
  }
}
