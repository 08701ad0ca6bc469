package io.calsync.oauth.connection;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import io.calsync.oauth.config.JsonConfig;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.google.GoogleUnavailableException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The web adapter and the problem+json advice, with the domain replaced: every failure kind's
 * answer.
 */
@WebFluxTest(ConnectionController.class)
@Import(JsonConfig.class)
class ConnectionControllerWebFluxTests {

  @Autowired WebTestClient web;
  @MockitoBean ConnectionService connections;

  private WebTestClient asUser() {
    return web.mutateWith(mockJwt().jwt(jwt -> jwt.subject("user-1"))).mutateWith(csrf());
  }

  @Test
  void shouldMapConnectionsToTheContract() {
    UUID id = UUID.fromString("3f1c0b1e-2d7a-4a8e-9c57-0d4b1b0e6a11");
    Instant at = Instant.parse("2026-11-25T10:15:30Z");
    given(connections.list("user-1"))
        .willReturn(
            Flux.just(
                new Connection(
                    id,
                    "user-1",
                    "google",
                    "sub-1",
                    "a@example.com",
                    ConnectionStatus.REAUTH_REQUIRED,
                    List.of("openid", "https://www.googleapis.com/auth/calendar.readonly"),
                    at,
                    at)));

    asUser()
        .get()
        .uri("/api/calendar/connections/")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .json(
            """
            {"connections":[{"id":"3f1c0b1e-2d7a-4a8e-9c57-0d4b1b0e6a11","provider":"google",
              "account_email":"a@example.com","status":"reauth_required",
              "scopes":["openid","https://www.googleapis.com/auth/calendar.readonly"],
              "created_at":"2026-11-25T10:15:30Z","updated_at":"2026-11-25T10:15:30Z"}]}
            """,
            true);
  }

  @Test
  void whenTheDatabaseIsDownThen503() {
    given(connections.list(anyString()))
        .willReturn(Flux.error(new DataAccessResourceFailureException("connection refused")));

    asUser()
        .get()
        .uri("/api/calendar/connections/")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_unavailable")
        .jsonPath("$.detail")
        .value(
            detail ->
                org.assertj.core.api.Assertions.assertThat((String) detail)
                    .doesNotContain("refused"));
  }

  @Test
  void whenTheR2dbcDriverCannotConnectThen503() {
    given(connections.disconnect(anyString(), any()))
        .willReturn(Mono.error(new R2dbcNonTransientResourceException("no connection")));

    asUser()
        .delete()
        .uri("/api/calendar/connections/{id}/", UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isEqualTo(503);
  }

  @Test
  void whenVaultIsDownThen503() {
    given(connections.disconnect(anyString(), any()))
        .willReturn(Mono.error(new TokenCipherException("Vault transit failed", true, null)));

    asUser()
        .delete()
        .uri("/api/calendar/connections/{id}/", UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_unavailable");
  }

  @Test
  void whenGoogleIsDownThen503() {
    given(connections.disconnect(anyString(), any()))
        .willReturn(Mono.error(new GoogleUnavailableException("Google token answered 503")));

    asUser()
        .delete()
        .uri("/api/calendar/connections/{id}/", UUID.randomUUID())
        .exchange()
        .expectStatus()
        .isEqualTo(503);
  }

  @Test
  void whenSomethingUnexpectedHappensThen500WithoutDetails() {
    given(connections.list(anyString()))
        .willReturn(Flux.error(new IllegalStateException("secret internals")));

    asUser()
        .get()
        .uri("/api/calendar/connections/")
        .exchange()
        .expectStatus()
        .isEqualTo(500)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("internal_error")
        .jsonPath("$.detail")
        .isEqualTo("An unexpected error occurred.");
  }

  @Test
  void whenTheMethodIsNotSupportedThen405ProblemJson() {
    asUser()
        .put()
        .uri("/api/calendar/connections/")
        .exchange()
        .expectStatus()
        .isEqualTo(405)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("method_not_allowed");
  }
}
