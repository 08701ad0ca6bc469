package io.calsync.oauth;

import static io.calsync.oauth.support.Browser.management;
import static io.calsync.oauth.support.Browser.newUser;
import static io.calsync.oauth.support.TestInfrastructure.REDIRECT_URI;
import static io.calsync.oauth.support.TestInfrastructure.WEB_BASE_URL;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.AuthorizationUrlResponse;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;

/** Security, validation and the shape of every answer, with no Google account involved. */
@OAuthServiceTest
class OAuthServiceApplicationTests {

  @Autowired WebTestClient web;
  @LocalManagementPort int managementPort;

  @Test
  void healthAndMetricsAreOpenOnTheManagementPortOnly() {
    WebTestClient management = management(managementPort);
    management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    String metrics =
        management
            .get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(metrics)
        .contains("application=\"oauth-service\"")
        .contains("calsync_oauth_callbacks_total{")
        .contains("calsync_oauth_token_refreshes_total{")
        .contains("calsync_outbox_published_total");
    web.get().uri("/actuator/health/readiness").exchange().expectStatus().isNotFound();
    web.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
  }

  @Test
  void whenNoTokenThen401ProblemJson() {
    web.get()
        .uri("/api/calendar/connections/")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(401)
        .jsonPath("$.code")
        .isEqualTo("unauthorized")
        .jsonPath("$.type")
        .isEqualTo("https://calsync.io/problems/unauthorized");
  }

  @Test
  void whenTokenHasAnotherAudienceThen401() {
    web.get()
        .uri("/api/calendar/connections/")
        .header(
            HttpHeaders.AUTHORIZATION,
            "Bearer " + Tokens.userWithAudience(newUser(), "someone-else"))
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("unauthorized");
  }

  @Test
  void whenTokenIsGarbageThen401() {
    web.get()
        .uri("/api/calendar/google/authorize/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer not-a-jwt")
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @Test
  void shouldAnswerAnAuthorizationUrlWithPkceAndOfflineAccess() {
    AuthorizationUrlResponse body =
        web.get()
            .uri("/api/calendar/google/authorize/?return_to=/settings")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(AuthorizationUrlResponse.class)
            .returnResult()
            .getResponseBody();

    assertThat(body).isNotNull();
    URI url = URI.create(body.authorizationUrl());
    assertThat(url.getPath()).isEqualTo("/o/oauth2/v2/auth");
    var query = UriComponentsBuilder.fromUri(url).build(true).getQueryParams();
    assertThat(query.getFirst("client_id"))
        .isEqualTo("calendar-platform-local.apps.googleusercontent.com");
    assertThat(query.getFirst("redirect_uri")).isEqualTo(encoded(REDIRECT_URI));
    assertThat(query.getFirst("response_type")).isEqualTo("code");
    assertThat(query.getFirst("scope"))
        .isEqualTo(encoded("openid email https://www.googleapis.com/auth/calendar.readonly"));
    assertThat(query.getFirst("access_type")).isEqualTo("offline");
    assertThat(query.getFirst("prompt")).isEqualTo("consent");
    assertThat(query.getFirst("include_granted_scopes")).isEqualTo("true");
    assertThat(query.getFirst("code_challenge_method")).isEqualTo("S256");
    assertThat(query.getFirst("code_challenge")).matches("[A-Za-z0-9_-]{43}");
    assertThat(query.getFirst("state")).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void shouldServeThePathWithoutItsTrailingSlashToo() {
    web.get()
        .uri("/api/calendar/google/authorize")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.authorization_url")
        .isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example.com/", "//evil.example.com", "settings", "/\\evil"})
  void whenReturnToIsNotARelativePathThen400NamingIt(String returnTo) {
    web.get()
        .uri(
            b ->
                b.path("/api/calendar/google/authorize/")
                    .queryParam("return_to", "{r}")
                    .build(returnTo))
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter")
        .jsonPath("$.parameter")
        .isEqualTo("return_to")
        .jsonPath("$.status")
        .isEqualTo(400);
  }

  @Test
  void whenUserHasNoConnectionsThenTheListIsEmpty() {
    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json("{\"connections\":[]}");
  }

  @Test
  void whenStateIsUnknownThenCallbackRedirectsWithInvalidState() {
    web.get()
        .uri("/api/calendar/google/callback/?code=4/abc&state=never-issued")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .location(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
  }

  @Test
  void whenCallbackHasNoParametersThenItRedirectsWithInvalidState() {
    web.get()
        .uri("/api/calendar/google/callback/")
        .exchange()
        .expectStatus()
        .isFound()
        .expectHeader()
        .location(WEB_BASE_URL + "/settings?calendar=error&reason=invalid_state");
  }

  @Test
  void whenDeletingAnIdThatIsNotAUuidThen400NamingIt() {
    web.delete()
        .uri("/api/calendar/connections/not-a-uuid/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter")
        .jsonPath("$.parameter")
        .isEqualTo("id");
  }

  @Test
  void whenDeletingAnUnknownConnectionThen404() {
    web.delete()
        .uri("/api/calendar/connections/{id}/", UUID.randomUUID())
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void whenInternalApiIsCalledWithAUserTokenThen403ProblemJson() {
    web.post()
        .uri("/internal/v1/connections/{id}/access-token", UUID.randomUUID())
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(newUser()))
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("forbidden");
  }

  @Test
  void whenInternalApiIsCalledWithoutTheTokensScopeThen403() {
    web.post()
        .uri("/internal/v1/connections/{id}/access-token", UUID.randomUUID())
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.read"))
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  @Test
  void whenInternalApiIsAskedForAnUnknownConnectionThen404() {
    web.post()
        .uri("/internal/v1/connections/{id}/access-token", UUID.randomUUID())
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
  }

  @Test
  void whenInternalApiIdIsNotAUuidThen400() {
    web.post()
        .uri("/internal/v1/connections/nope/access-token")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("id");
  }

  private static String encoded(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
