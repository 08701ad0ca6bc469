package io.calsync.oauth.connect;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static io.calsync.oauth.support.Browser.queryParam;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * At most five pending connect flows per user (the default {@code
 * calsync.connect.max-pending-states}): the sixth {@code authorize} is a 429 {@code limit_exceeded}
 * with {@code Retry-After} until the oldest state expires.
 */
@OAuthServiceTest
class LimitsApplicationTests {

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  private WebTestClient.ResponseSpec authorize(String user) {
    return web.get()
        .uri(ApiPaths.AUTHORIZE)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange();
  }

  @Test
  void whenFiveFlowsArePendingThenTheSixthIs429UntilTheOldestExpires() {
    String user = newUser();
    browser.authorizationUrl(user, null);
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 4; i++) {
      browser.authorizationUrl(user, null);
    }

    EntityExchangeResult<String> refused =
        authorize(user)
            .expectStatus()
            .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader()
            .doesNotExist(HttpHeaders.SET_COOKIE)
            .expectBody(String.class)
            .returnResult();
    // the oldest state expires 10 minutes after it was made, 8 minutes from now (less the test's
    // own time)
    long retryAfter =
        Long.parseLong(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER));
    assertThat(retryAfter).isBetween(470L, 480L);
    assertThat(refused.getResponseBody())
        .contains(
            "\"code\":\"limit_exceeded\"",
            "\"status\":429",
            "https://calsync.io/problems/limit_exceeded");
    assertMatchesOpenApi(
        "GET", ApiPaths.AUTHORIZE, 429, "application/problem+json", refused.getResponseBody());

    // the oldest expires: one slot is free again, and only one
    clock.advance(Duration.ofSeconds(retryAfter));
    browser.authorizationUrl(user, null);
    authorize(user).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

    // the other four expire two minutes later: all free
    clock.advance(Duration.ofMinutes(2));
    for (int i = 0; i < 4; i++) {
      browser.authorizationUrl(user, null);
    }
  }

  @Test
  void anotherUserIsNotHeldUpBySomeoneElsesPendingFlows() {
    String busy = newUser();
    for (int i = 0; i < 5; i++) {
      browser.authorizationUrl(busy, null);
    }
    authorize(busy).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

    browser.authorizationUrl(newUser(), null);
  }

  @Test
  void aCompletedFlowFreesItsSlotAtOnce() {
    String user = newUser();
    String last = null;
    for (int i = 0; i < 5; i++) {
      last = browser.authorizationUrl(user, null);
    }
    authorize(user).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

    URI location = browser.callback(GoogleTestSupport.consent(last, newGoogleAccount()));
    assertThat(queryParam(location, "calendar")).isEqualTo("connected");

    browser.authorizationUrl(user, null);
    authorize(user).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
  }

  @Test
  void concurrentAuthorizeCallsCannotExceedTheLimit() {
    String user = newUser();
    String token = Tokens.user(user);
    AtomicInteger accepted = new AtomicInteger();
    List<Integer> statuses =
        Flux.range(0, 12)
            .parallel(12)
            .runOn(Schedulers.boundedElastic())
            .map(
                i ->
                    web.get()
                        .uri(ApiPaths.AUTHORIZE)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .value())
            .sequential()
            .collectList()
            .block(Duration.ofSeconds(60));

    statuses.forEach(s -> accepted.addAndGet(s == 200 ? 1 : 0));
    assertThat(statuses).containsOnly(200, 429);
    assertThat(accepted.get()).isEqualTo(5);
  }
}
