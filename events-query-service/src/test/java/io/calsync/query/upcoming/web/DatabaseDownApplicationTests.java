package io.calsync.query.upcoming.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.query.support.TestBeans;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;

/**
 * The service with its database unreachable (a port nobody listens on): the upcoming query answers
 * 503 {@code upstream_unavailable} as problem+json, never a 500. Listeners stay stopped here so
 * this context does not take partitions from the shared one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = DatabaseDownApplicationTests.DatabaseDown.class)
@Import(TestBeans.class)
class DatabaseDownApplicationTests {

  @LocalServerPort int port;

  @Test
  void whenDatabaseIsDownThenServiceUnavailableProblem() {
    TestHttp.client(port)
        .get()
        .uri("/api/calendar/events/upcoming/")
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("u-db-down")))
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.parseMediaType("application/problem+json"))
        .expectBody()
        .consumeWith(
            r -> {
              String body =
                  new String(r.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
              ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 503, body);
              ContractAssertions.assertProblem(
                  body, 503, ProblemCodes.UPSTREAM_UNAVAILABLE, ApiPaths.UPCOMING_EVENTS);
            })
        .jsonPath("$.code")
        .isEqualTo(ProblemCodes.UPSTREAM_UNAVAILABLE)
        .jsonPath("$.status")
        .isEqualTo(503);
  }

  static class DatabaseDown extends TestInfrastructure {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      super.initialize(context);
      int deadPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        deadPort = socket.getLocalPort();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      TestPropertyValues.of(
              "spring.r2dbc.url=r2dbc:postgresql://localhost:" + deadPort + "/events",
              "spring.r2dbc.pool.initial-size=0",
              "spring.r2dbc.pool.max-acquire-time=2s",
              "spring.flyway.enabled=false",
              "spring.kafka.listener.auto-startup=false")
          .applyTo(context);
    }
  }
}
