package io.calsync.oauth.connection;

import static io.calsync.oauth.support.Browser.management;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The operators' {@code GET /actuator/connections} on the management port: counts per status,
 * connections by status with why they left {@code active}, no account or token in the answer, 400
 * naming a bad parameter, and only for a token with scope {@code calendar.admin}.
 */
@OAuthServiceTest
class ConnectionsEndpointApplicationTests {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  @LocalManagementPort int managementPort;
  private Browser browser;
  private WebTestClient management;

  @BeforeEach
  void clients() {
    browser = new Browser(web);
    management = management(managementPort);
  }

  @AfterEach
  void clearFaults() {
    GoogleTestSupport.clearFaults();
  }

  @Test
  void shouldListConnectionsByStatusWithCountsAndTheReason() {
    Map<String, Object> before = report("");
    String user = newUser();
    String email = newGoogleAccount();
    UUID revoked = browser.connect(user, email);
    UUID active = browser.connect(newUser(), newGoogleAccount());
    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));
    browser.internalAccessToken(revoked).expectStatus().isEqualTo(409);

    Map<String, Object> after = report("?status=reauth_required&limit=1000");

    assertThat(count(after, "reauth_required")).isEqualTo(count(before, "reauth_required") + 1);
    assertThat(count(after, "active")).isEqualTo(count(before, "active") + 1);
    assertThat(count(after, "disconnected")).isEqualTo(count(before, "disconnected"));
    List<Map<String, Object>> listed = listed(after);
    assertThat(listed).allMatch(c -> "reauth_required".equals(c.get("status")));
    Map<String, Object> mine =
        listed.stream()
            .filter(c -> revoked.toString().equals(c.get("id")))
            .findFirst()
            .orElseThrow();
    assertThat(mine)
        .containsEntry("status_reason", "invalid_grant")
        .containsKeys("user_id", "created_at", "updated_at")
        .doesNotContainKeys("account_email", "google_sub", "scopes");
    assertThat(listed).noneMatch(c -> active.toString().equals(c.get("id")));
    assertThat(listed(report("?status=active&limit=1000")))
        .anyMatch(c -> active.toString().equals(c.get("id")) && c.get("status_reason") == null);

    assertThat(browser.connect(user, email)).isEqualTo(revoked);
    assertThat(listed(report("?status=active&limit=1000")))
        .anyMatch(c -> revoked.toString().equals(c.get("id")) && c.get("status_reason") == null);
  }

  @Test
  void shouldNeverAnswerAnAccountOrAToken() {
    String email = newGoogleAccount();
    browser.connect(newUser(), email);

    String body =
        get("?limit=1", Tokens.operator())
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(body).doesNotContain(email).doesNotContain("@").doesNotContain("token");
  }

  @Test
  void shouldListAtMostTheLimit() {
    browser.connect(newUser(), newGoogleAccount());
    browser.connect(newUser(), newGoogleAccount());

    assertThat(listed(report("?limit=1"))).hasSize(1);
    assertThat(listed(report(""))).hasSizeLessThanOrEqualTo(100).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void whenAParameterIsBadThenA400NamesIt() {
    for (String query : List.of("?status=broken", "?status=ACTIVE")) {
      badParameter(query, "status");
    }
    for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?limit=-1")) {
      badParameter(query, "limit");
    }
  }

  @Test
  void shouldAnswerOnlyOperators() {
    get("", null)
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthorized");
    for (String token :
        List.of(
            Tokens.user(newUser()),
            Tokens.service("calendar.tokens"),
            Tokens.serviceOf("operator", "calendar", "calendar"))) {
      get("", token)
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("forbidden");
    }
    web.get()
        .uri("/actuator/connections")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.operator())
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private void badParameter(String query, String parameter) {
    get(query, Tokens.operator())
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter")
        .jsonPath("$.parameter")
        .isEqualTo(parameter)
        .jsonPath("$.instance")
        .isEqualTo("/actuator/connections");
  }

  private WebTestClient.ResponseSpec get(String query, String token) {
    WebTestClient.RequestHeadersSpec<?> request =
        management.get().uri("/actuator/connections" + query);
    if (token != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    return request.exchange();
  }

  private Map<String, Object> report(String query) {
    return get(query, Tokens.operator())
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  private static long count(Map<String, Object> report, String status) {
    return ((Number) ((Map<String, Object>) report.get("counts")).get(status)).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listed(Map<String, Object> report) {
    return (List<Map<String, Object>>) report.get("connections");
  }
}
