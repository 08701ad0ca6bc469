package io.calsync.query.upcoming.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The HTTP surface as a client sees it: auth, parameter errors, paths, probes. */
@QueryServiceTest
class UpcomingEventsApplicationTests {

  private static final MediaType PROBLEM = MediaType.parseMediaType("application/problem+json");

  @LocalServerPort int port;
  private WebTestClient http;

  @BeforeEach
  void setUp() {
    http = TestHttp.client(port);
  }

  @Test
  void whenNoTokenThenUnauthorizedProblem() {
    http.get()
        .uri("/api/calendar/events/upcoming/")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .consumeWith(
            r ->
                ContractAssertions.assertMatchesOpenApi(
                    "GET",
                    ApiPaths.UPCOMING_EVENTS,
                    401,
                    new String(r.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8)))
        .jsonPath("$.status")
        .isEqualTo(401)
        .jsonPath("$.code")
        .isEqualTo(ProblemCodes.UNAUTHORIZED)
        .jsonPath("$.type")
        .isEqualTo(ProblemCodes.type(ProblemCodes.UNAUTHORIZED));
  }

  @Test
  void whenTokenHasAnotherAudienceThenUnauthorized() {
    String token =
        TestInfrastructure.oauth()
            .issueToken(TestInfrastructure.ISSUER_ID, "u1", "someone-else")
            .serialize();
    http.get()
        .uri("/api/calendar/events/upcoming/")
        .headers(h -> h.setBearerAuth(token))
        .exchange()
        .expectStatus()
        .isUnauthorized();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|limit",
        "limit=101|limit",
        "limit=ten|limit",
        "limit=1&limit=2|limit",
        "days=0|days",
        "days=366|days",
        "days=1.5|days",
        "tz=Not/AZone|tz",
        "tz=UTC&tz=UTC|tz"
      })
  void whenParameterIsBadThenBadRequestNamingIt(String query, String parameter) {
    String body =
        http.get()
            .uri("/api/calendar/events/upcoming/?" + query)
            .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("u-validation")))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 400, body);
    http.get()
        .uri("/api/calendar/events/upcoming/?" + query)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("u-validation")))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo(ProblemCodes.INVALID_PARAMETER)
        .jsonPath("$.parameter")
        .isEqualTo(parameter)
        .jsonPath("$.status")
        .isEqualTo(400)
        .jsonPath("$.detail")
        .value(d -> assertThat((String) d).contains(parameter));
  }

  @Test
  void whenTrailingSlashIsMissingThenServedTheSame() {
    http.get()
        .uri("/api/calendar/events/upcoming?tz=Europe/Berlin")
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("u-" + System.nanoTime())))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.events.length()")
        .isEqualTo(0)
        .jsonPath("$.window.from")
        .value(v -> assertThat((String) v).endsWith("+01:00"));
  }

  @Test
  void whenPathIsUnknownThenNotFoundProblem() {
    http.get()
        .uri("/api/calendar/events/nope/")
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("u1")))
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(PROBLEM)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo(ProblemCodes.NOT_FOUND);
  }

  @Test
  void whenProbesAreAskedOnTheManagementPortThenTheyAnswerWithoutToken() {
    // the scrape holds the metrics of every Kafka consumer (one per partition and listener): more
    // than the client's default 256 KiB
    WebTestClient management =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + managementPort)
            .codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024))
            .build();
    management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    management
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("application=\"events-query-service\""));
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
  }

  @LocalManagementPort int managementPort;
}
