package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway's limits with real HTTP: a per-user token bucket (here 2 requests at once, one more
 * every 10 s, on a clock that only moves when the test says so) and the request body cap (here 1
 * KB).
 */
@GatewayTest
@TestPropertySource(
    properties = {
      "calsync.limits.user-rate.requests=1",
      "calsync.limits.user-rate.period=10s",
      "calsync.limits.user-rate.burst=2",
      "calsync.limits.max-body-size=1KB"
    })
@Import(RateLimitApplicationTests.StoppedClock.class)
class RateLimitApplicationTests {

  static final StubPlatform platform = StubPlatform.start();
  static final MockOAuth2Server issuer = platform.issuer;
  static final StubUpstream oauth = platform.oauth;
  static final StubUpstream sync = platform.sync;
  static final StubUpstream query = platform.query;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    platform.register(registry);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Autowired WebTestClient client;
  @Autowired MutableClock clock;
  @Autowired MeterRegistry meters;

  /** calsync_gateway_rejections_total of a reason. */
  private double rejections(String reason) {
    return meters.get("calsync.gateway.rejections").tag("reason", reason).counter().count();
  }

  @BeforeEach
  void reset() {
    platform.reset();
  }

  static String tokenOf(String user) {
    return issuer.issueToken("dev", user, "calendar", Map.of(), 3600).serialize();
  }

  static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  private WebTestClient.ResponseSpec connections(String token) {
    return client
        .get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange();
  }

  @Test
  void whenAUserSpentTheBurstThen429WithRetryAfterAndNoUpstreamCall() {
    double rejectedBefore = rejections("rate_limited");
    String token = tokenOf(newUser());
    connections(token).expectStatus().isOk();
    client
        .get()
        .uri("/api/calendar/events/upcoming/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .exchange()
        .expectStatus()
        .isOk();

    client
        .get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .header(HttpHeaders.ORIGIN, "http://localhost:8080")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "10")
        // a browser can read it: CORS allows the origin and exposes Retry-After
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080")
        .expectHeader()
        .value(
            HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, v -> assertThat(v).contains("Retry-After"))
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(429)
        .jsonPath("$.code")
        .isEqualTo("rate_limited")
        .jsonPath("$.type")
        .isEqualTo("https://calsync.io/problems/rate_limited")
        .jsonPath("$.instance")
        .isEqualTo("/api/calendar/connections/");
    // a POST is counted the same and refused before it reaches the service
    client
        .post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{}")
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

    assertThat(oauth.requests()).hasSize(1);
    assertThat(query.requests()).hasSize(1);
    assertThat(sync.requests()).isEmpty();
    // operators see both refusals
    assertThat(rejections("rate_limited")).isEqualTo(rejectedBefore + 2);
  }

  @Test
  void whenTimePassesThenTheBucketRefillsAndRetryAfterCountsDown() {
    String token = tokenOf(newUser());
    connections(token).expectStatus().isOk();
    connections(token).expectStatus().isOk();
    clock.advance(Duration.ofMillis(3500));
    connections(token)
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "7");

    clock.advance(Duration.ofMillis(6500));
    connections(token).expectStatus().isOk();
    connections(token)
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "10");
  }

  @Test
  void eachUserHasTheirOwnBucket() {
    String alice = tokenOf(newUser());
    String bob = tokenOf(newUser());
    connections(alice).expectStatus().isOk();
    connections(alice).expectStatus().isOk();
    connections(alice).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

    connections(bob).expectStatus().isOk();
    // a second token of the same user shares the user's bucket
    connections(tokenOf(issuerSubject(alice)))
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  void theOpenEndpointsAndRequestsWithoutATokenAreNotCountedPerUser() {
    for (int i = 0; i < 5; i++) {
      client
          .get()
          .uri("/api/calendar/google/callback/?code=abc&state=s" + i)
          .exchange()
          .expectStatus()
          .isFound();
      client
          .post()
          .uri("/api/calendar/google/notifications/")
          .header("X-Goog-Channel-ID", "ch-" + i)
          .exchange()
          .expectStatus()
          .isOk();
      client.get().uri("/api/calendar/connections/").exchange().expectStatus().isUnauthorized();
    }
    assertThat(oauth.requests()).hasSize(5);
    assertThat(sync.requests()).hasSize(5);
  }

  @Test
  void whenTheBodyIsLargerThanTheCapThen413BeforeRoutingWithCorsHeaders() {
    double rejectedBefore = rejections("body_too_large");
    String token = tokenOf(newUser());
    String big = "{\"selected\":true,\"padding\":\"" + "x".repeat(2000) + "\"}";
    client
        .patch()
        .uri("/api/calendar/calendars/6c0f3d1e-1111-4222-8333-944445555666/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .header(HttpHeaders.ORIGIN, "http://localhost:8080")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(big)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
        .expectHeader()
        .contentType("application/problem+json")
        .expectHeader()
        .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "http://localhost:8080")
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(413)
        .jsonPath("$.code")
        .isEqualTo("payload_too_large")
        .jsonPath("$.detail")
        .isEqualTo("The request body is larger than 1024 bytes.");
    // open endpoints are capped too; without a token a protected path is a 401 first
    client
        .post()
        .uri("/api/calendar/google/notifications/")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(big)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
    client
        .post()
        .uri("/api/calendar/sync/")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(big)
        .exchange()
        .expectStatus()
        .isUnauthorized();
    assertThat(sync.requests()).isEmpty();

    // at the cap it goes through
    String fits = "{\"selected\":true,\"padding\":\"" + "x".repeat(1024 - 30) + "\"}";
    assertThat(fits).hasSize(1024);
    client
        .patch()
        .uri("/api/calendar/calendars/6c0f3d1e-1111-4222-8333-944445555666/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(fits)
        .exchange()
        .expectStatus()
        .isOk();
    assertThat(sync.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.body()).isEqualTo(fits));
    assertThat(rejections("body_too_large")).isEqualTo(rejectedBefore + 2);
  }

  private static String issuerSubject(String token) {
    try {
      return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getSubject();
    } catch (java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class StoppedClock {

    @Bean
    @Primary
    MutableClock stoppedClock() {
      return MutableClock.stoppedAt(Instant.parse("2026-11-23T08:00:00Z"));
    }
  }
}
