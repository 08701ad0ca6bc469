package io.calsync.oauth.token;

import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.AccessTokenResponse;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The refresh claim (README, decision 2): no transaction or row lock while Google answers, a dead
 * holder's claim taken over once it expires, and the answer of a refresh whose claim was lost
 * dropped. The database is probed over plain JDBC, as another instance would see it.
 */
@OAuthServiceTest
class RefreshClaimApplicationTests {

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
  void whenGoogleIsSlowToRefreshThenNoRowIsLockedWhileItAnswers() throws SQLException {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    clock.advance(Duration.ofMinutes(59));
    long tokenRequests = GoogleTestSupport.requests("token");
    GoogleTestSupport.delay("token", 4_000, 1);

    CompletableFuture<AccessTokenResponse> refresh =
        CompletableFuture.supplyAsync(() -> browser.accessToken(id));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> GoogleTestSupport.requests("token") > tokenRequests);

    // Google is answering now: another transaction locks both rows at once, and sees the claim.
    try (Connection sql = database()) {
      sql.setAutoCommit(false);
      assertThat(lockNowait(sql, "select status from connections where id = ?", id))
          .isEqualTo("active");
      assertThat(
              lockNowait(
                  sql,
                  "select refresh_claim::text from connection_tokens where connection_id = ?",
                  id))
          .isNotNull();
      sql.rollback();
    }
    assertThat(refresh.isDone()).isFalse();

    AccessTokenResponse refreshed = refresh.join();
    assertThat(GoogleTestSupport.userInfoStatus(refreshed.accessToken())).isEqualTo(200);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
    assertThat(claimOf(id)).isNull();
  }

  @Test
  void whenTheHolderOfAClaimDiedThenTheClaimIsTakenOverOnceItExpires() throws SQLException {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    String before = browser.accessToken(id).accessToken();
    clock.advance(Duration.ofMinutes(59));
    long tokenRequests = GoogleTestSupport.requests("token");
    // another instance claimed the refresh a moment ago and died
    claim(id, UUID.randomUUID(), "1 second");

    AccessTokenResponse refreshed = browser.accessToken(id);

    assertThat(refreshed.accessToken()).isNotEqualTo(before);
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 1);
    assertThat(claimOf(id)).isNull();
    assertThat(browser.accessToken(id).accessToken()).isEqualTo(refreshed.accessToken());
  }

  @Test
  void whenARefreshLostItsClaimThenItsAnswerIsDroppedAndTheNextHolderRefreshes()
      throws SQLException {
    UUID id = browser.connect(newUser(), newGoogleAccount());
    clock.advance(Duration.ofMinutes(59));
    long tokenRequests = GoogleTestSupport.requests("token");
    GoogleTestSupport.delay("token", 3_000, 1);

    CompletableFuture<AccessTokenResponse> refresh =
        CompletableFuture.supplyAsync(() -> browser.accessToken(id));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> GoogleTestSupport.requests("token") > tokenRequests);
    // while Google answers, the claim is taken over by another instance, which then dies
    claim(id, UUID.randomUUID(), "1 second");

    AccessTokenResponse refreshed = refresh.join();

    // the first answer was not stored (the token stayed due), so a second refresh followed
    assertThat(GoogleTestSupport.requests("token")).isEqualTo(tokenRequests + 2);
    assertThat(browser.accessToken(id).accessToken()).isEqualTo(refreshed.accessToken());
    assertThat(claimOf(id)).isNull();
  }

  private static Connection database() throws SQLException {
    return TestInfrastructure.postgres()
        .getDatabase("postgres", TestInfrastructure.DATABASE)
        .getConnection();
  }

  /** {@code query ... for update nowait}: fails at once if another transaction holds the row. */
  private static String lockNowait(Connection sql, String query, UUID id) throws SQLException {
    try (PreparedStatement statement = sql.prepareStatement(query + " for update nowait")) {
      statement.setObject(1, id);
      try (ResultSet row = statement.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }

  private static void claim(UUID id, UUID claim, String lasting) throws SQLException {
    try (Connection sql = database();
        PreparedStatement statement =
            sql.prepareStatement(
                "update connection_tokens set refresh_claim = ?,"
                    + " refresh_claimed_until = clock_timestamp() + ?::interval"
                    + " where connection_id = ?")) {
      statement.setObject(1, claim);
      statement.setString(2, lasting);
      statement.setObject(3, id);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  private static String claimOf(UUID id) throws SQLException {
    try (Connection sql = database();
        PreparedStatement statement =
            sql.prepareStatement(
                "select refresh_claim::text from connection_tokens where connection_id = ?")) {
      statement.setObject(1, id);
      try (ResultSet row = statement.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }
}
