package io.calsync.oauth.connection;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;

import io.calsync.contract.http.ApiPaths;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code GET /internal/v1/connections/{id}}: sync-service's read-your-writes look-up. */
@OAuthServiceTest
class InternalConnectionApplicationTests {

  @Autowired WebTestClient web;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  private WebTestClient.ResponseSpec get(UUID id, String bearer) {
    return web.get()
        .uri(ApiPaths.INTERNAL_CONNECTION, id)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + bearer)
        .exchange();
  }

  @Test
  void whenSyncServiceAsksThenItGetsTheOwnerAndStatusOfALiveConnection() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);

    byte[] body =
        get(id, Tokens.service("calendar.tokens"))
            .expectStatus()
            .isOk()
            .expectHeader()
            .cacheControl(org.springframework.http.CacheControl.noStore())
            .expectBody()
            .jsonPath("$.connection_id")
            .isEqualTo(id.toString())
            .jsonPath("$.user_id")
            .isEqualTo(user)
            .jsonPath("$.status")
            .isEqualTo("active")
            .jsonPath("$.account_email")
            .isEqualTo(email)
            .jsonPath("$.updated_at")
            .isNotEmpty()
            .returnResult()
            .getResponseBody();
    assertMatchesOpenApi("GET", ApiPaths.INTERNAL_CONNECTION, 200, new String(body));
  }

  @Test
  void whenUnknownOrDisconnectedThen404() {
    String user = newUser();
    UUID id = browser.connect(user, newGoogleAccount());
    web.delete()
        .uri(ApiPaths.CONNECTION, id)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange()
        .expectStatus()
        .isNoContent();

    get(id, Tokens.service("calendar.tokens")).expectStatus().isNotFound();
    byte[] unknown =
        get(UUID.randomUUID(), Tokens.service("calendar.tokens"))
            .expectStatus()
            .isNotFound()
            .expectBody()
            .returnResult()
            .getResponseBody();
    assertMatchesOpenApi("GET", ApiPaths.INTERNAL_CONNECTION, 404, new String(unknown));
  }

  @Test
  void whenTheCallerIsNotAnAllowedServiceClientThen403() {
    String user = newUser();
    UUID id = browser.connect(user, newGoogleAccount());

    get(id, Tokens.user(user)).expectStatus().isForbidden();
    get(id, Tokens.userWithScope(user, "openid calendar calendar.tokens"))
        .expectStatus()
        .isForbidden();
    get(id, Tokens.service()).expectStatus().isForbidden();
    get(id, Tokens.serviceOf("another-client", "calendar-internal", "calendar.tokens"))
        .expectStatus()
        .isForbidden();
    web.get().uri(ApiPaths.INTERNAL_CONNECTION, id).exchange().expectStatus().isUnauthorized();
  }
}
