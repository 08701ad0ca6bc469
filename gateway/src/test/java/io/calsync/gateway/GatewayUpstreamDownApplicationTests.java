package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every upstream address points at a port nobody listens on. */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
class GatewayUpstreamDownApplicationTests {

  static final MockOAuth2Server issuer = new MockOAuth2Server();
  static final String deadUrl;

  static {
    issuer.start();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadUrl = "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("OIDC_ISSUER_URI", () -> issuer.issuerUrl("dev").toString());
    registry.add("OAUTH_SERVICE_URL", () -> deadUrl);
    registry.add("SYNC_SERVICE_URL", () -> deadUrl);
    registry.add("QUERY_SERVICE_URL", () -> deadUrl);
  }

  @AfterAll
  static void stop() {
    issuer.shutdown();
  }

  @Autowired WebTestClient client;

  String token() {
    return issuer.issueToken("dev", "user-1", "calendar", Map.of(), 3600).serialize();
  }

  @Test
  void shouldAnswer503ProblemNamingTheServiceWhenItIsDown() {
    Map<String, String> services =
        Map.of(
            "/api/calendar/connections/", "oauth-service",
            "/api/calendar/sync/status/", "sync-service",
            "/api/calendar/events/upcoming/", "events-query-service");
    services.forEach(
        (path, service) ->
            client
                .get()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.code")
                .isEqualTo("upstream_unavailable")
                .jsonPath("$.status")
                .isEqualTo(503)
                .jsonPath("$.type")
                .isEqualTo("https://calsync.io/problems/upstream_unavailable")
                .jsonPath("$.instance")
                .isEqualTo(path)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains(service))
                .consumeWith(
                    r ->
                        io.calsync.contract.testing.ContractAssertions.assertProblem(
                            new String(
                                r.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8),
                            503,
                            "upstream_unavailable",
                            path)));
  }

  @Test
  void shouldLogWhyTheCallFailedWithoutTheToken(CapturedOutput output) {
    String token = token();
    client
        .get()
        .uri("/api/calendar/connections/?page=2")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

    assertThat(output.getOut())
        .containsPattern(
            "WARN .* oauth-service failed for GET /api/calendar/connections/: .*Connection refused")
        .doesNotContain(token)
        .doesNotContain("page=2");
  }

  @Test
  void shouldKeepAnswering503WhileTheBreakerIsOpen() {
    for (int i = 0; i < 15; i++) {
      client
          .post()
          .uri("/api/calendar/sync/")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("upstream_unavailable");
    }
  }

  @Test
  void shouldAnswer503ProblemForTheStreamWhenTheQueryServiceIsDown() {
    client
        .get()
        .uri("/api/calendar/events/stream/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token())
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("upstream_unavailable");
  }

  @Test
  void shouldStillServeTheWebClientAndHealth() {
    client.get().uri("/").exchange().expectStatus().isOk();
    WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + managementPort)
        .build()
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk();
  }

  @LocalManagementPort int managementPort;
}
