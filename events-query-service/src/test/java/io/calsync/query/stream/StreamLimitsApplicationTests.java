package io.calsync.query.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.contract.testing.MutableClock;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The live stream's limits over real HTTP: at most five open per user (the default), one more is a
 * 429 {@code limit_exceeded} with {@code Retry-After}; closing one frees its slot; and a stream
 * ends when the token that opened it expires.
 */
@QueryServiceTest
class StreamLimitsApplicationTests {

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  @LocalServerPort int port;
  @Autowired OpenStreams openStreams;
  @Autowired MutableClock clock;

  private final List<Disposable> open = new ArrayList<>();

  @AfterEach
  void closeStreamsAndResetTheClock() {
    open.forEach(Disposable::dispose);
    clock.reset();
  }

  private WebTestClient.ResponseSpec request(String token) {
    return TestHttp.client(port)
        .get()
        .uri(ApiPaths.EVENT_STREAM)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(h -> h.setBearerAuth(token))
        .exchange();
  }

  /** Opens a stream and keeps reading it until the test ends. */
  private void openStream(String user) {
    Flux<ServerSentEvent<String>> body =
        request(TestInfrastructure.tokenFor(user))
            .expectStatus()
            .isOk()
            .returnResult(SSE)
            .getResponseBody();
    open.add(body.subscribe());
  }

  @Test
  void whenFiveStreamsAreOpenThenTheSixthIs429AndClosingOneFreesItsSlot() {
    String user = "user-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      openStream(user);
    }
    assertThat(openStreams.count(user)).isEqualTo(5);

    String problem =
        request(TestInfrastructure.tokenFor(user))
            .expectStatus()
            .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
            .expectHeader()
            .contentTypeCompatibleWith("application/problem+json")
            .expectHeader()
            .valueEquals(HttpHeaders.RETRY_AFTER, "10")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(problem).contains("\"code\":\"limit_exceeded\"", "\"status\":429");
    ContractAssertions.assertMatchesOpenApi(
        "GET", ApiPaths.EVENT_STREAM, 429, "application/problem+json", problem);

    // someone else still gets a stream
    openStream("user-" + UUID.randomUUID());

    open.get(0).dispose();
    await().atMost(Duration.ofSeconds(10)).until(() -> openStreams.count(user) == 4);
    openStream(user);
    request(TestInfrastructure.tokenFor(user))
        .expectStatus()
        .isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  void whenTheTokenExpiresThenTheStreamEnds() {
    String user = "user-" + UUID.randomUUID();
    clock.advance(
        Duration.between(clock.instant(), Instant.now())); // the token's expiry is real time
    String token =
        TestInfrastructure.oauth()
            .issueToken(TestInfrastructure.ISSUER_ID, user, "calendar", Map.of(), 3)
            .serialize();

    Flux<ServerSentEvent<String>> stream =
        request(token).expectStatus().isOk().returnResult(SSE).getResponseBody();

    StepVerifier.create(stream)
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .thenConsumeWhile(e -> "heartbeat".equals(e.comment()))
        .expectComplete()
        .verify(Duration.ofSeconds(15));
    await().atMost(Duration.ofSeconds(5)).until(() -> openStreams.count(user) == 0);
  }
}
