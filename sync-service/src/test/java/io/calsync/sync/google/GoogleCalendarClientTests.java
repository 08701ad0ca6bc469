package io.calsync.sync.google;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.GoogleEmulator;
import io.calsync.sync.google.GoogleCallException.Kind;
import io.calsync.sync.token.AccessTokens;
import io.calsync.sync.token.ReauthRequiredException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The Google client wrapper against the emulator over real HTTP, without Spring. */
class GoogleCalendarClientTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static GoogleEmulator google;
  private static Scheduler scheduler;
  private static final String EMAIL = "client-tests@example.com";
  private static final UUID CONNECTION = UUID.randomUUID();

  /** Hands out the emulator account's real token; "expired" hands out a bad one first. */
  static final class Tokens implements AccessTokens {
    final AtomicInteger fetched = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger reported = new AtomicInteger();
    volatile boolean staleFirst;
    volatile boolean grantGone;
    volatile boolean grantGoneOnSecondReport;

    @Override
    public Mono<String> accessToken(UUID connectionId) {
      return Mono.fromCallable(
              () -> {
                fetched.incrementAndGet();
                if (staleFirst) {
                  staleFirst = false;
                  return "ya29.stale";
                }
                return admin("POST", "/emulator/v1/accounts/" + EMAIL + "/access-token", null)
                    .split("\"access_token\":\"")[1]
                    .split("\"")[0];
              })
          // the stand-in asks the emulator with a blocking client; a retry resubscribes on the
          // timer's
          // non-blocking thread (the real AccessTokenClient is a WebClient)
          .subscribeOn(scheduler);
    }

    @Override
    public void forget(UUID connectionId) {}

    @Override
    public Mono<String> refreshRejected(UUID connectionId, String rejectedToken) {
      if ("ya29.stale".equals(rejectedToken)) {
        rejected.incrementAndGet();
      }
      int report = reported.incrementAndGet();
      if (grantGone || (grantGoneOnSecondReport && report == 2)) {
        return Mono.error(
            new ReauthRequiredException("connection " + connectionId + " needs re-consent"));
      }
      return accessToken(connectionId);
    }
  }

  private final Tokens tokens = new Tokens();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void start() throws Exception {
    google = GoogleEmulator.start(EmulatorOptions.defaults());
    scheduler = Schedulers.newBoundedElastic(2, 100, "google-test");
    admin("POST", "/emulator/v1/accounts", "{\"email\":\"" + EMAIL + "\"}");
    admin(
        "POST",
        "/emulator/v1/accounts/" + EMAIL + "/seed",
        "{\"calendar_id\":\"primary\",\"events\":30,\"days\":10}");
  }

  @AfterAll
  static void stop() {
    scheduler.dispose();
    google.close();
  }

  @AfterEach
  void noFaults() throws Exception {
    admin("DELETE", "/emulator/v1/faults", null);
  }

  private GoogleCalendarClient client(int maxRetries) {
    return new GoogleCalendarClient(props(maxRetries), tokens, scheduler, meters);
  }

  private static GoogleProperties props(int maxRetries) {
    return new GoogleProperties(
        google.baseUrl() + "/",
        "tests",
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        maxRetries,
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        2,
        600);
  }

  private static String admin(String method, String path, String body) throws Exception {
    var req =
        HttpRequest.newBuilder(URI.create(google.baseUrl() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isLessThan(300);
    return res.body();
  }

  private static Instant monthAgo() {
    return Instant.now().minus(30, ChronoUnit.DAYS);
  }

  @Test
  void listsThePrimaryCalendar() {
    StepVerifier.create(client(0).listCalendars(CONNECTION, 250, null))
        .assertNext(
            page -> {
              assertThat(page.items())
                  .anySatisfy(
                      e -> {
                        assertThat(e.providerCalendarId()).isEqualTo(EMAIL);
                        assertThat(e.primary()).isTrue();
                      });
              assertThat(page.nextPageToken()).isNull();
            })
        .verifyComplete();
  }

  @Test
  void shortPagesCarryAPageTokenAndOnlyTheLastOneASyncToken() {
    var client = client(0);
    StepVerifier.create(client.listEventsFull(CONNECTION, EMAIL, monthAgo(), 5, null))
        .assertNext(
            page -> {
              assertThat(page.items()).hasSizeLessThanOrEqualTo(5);
              assertThat(page.nextPageToken()).isNotNull();
              assertThat(page.nextSyncToken()).isNull();
            })
        .verifyComplete();
    StepVerifier.create(client.listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null))
        .assertNext(
            page -> {
              assertThat(page.nextPageToken()).isNull();
              assertThat(page.nextSyncToken()).isNotBlank();
            })
        .verifyComplete();
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"events.list\",\"status\":503,\"reason\":\"backendError\",\"times\":2,\"delay_ms\":0}");
    StepVerifier.create(client(3).listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null))
        .assertNext(page -> assertThat(page.items()).isNotEmpty())
        .verifyComplete();
  }

  @Test
  void everyRequestIsTimedByOperationAndStatusAndEveryRetryCountedByReason() throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"events.list\",\"status\":503,\"reason\":\"backendError\",\"times\":1,\"delay_ms\":0}");
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"events.list\",\"status\":429,\"reason\":\"rateLimitExceeded\",\"times\":1,\"delay_ms\":0}");
    StepVerifier.create(client(3).listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null))
        .expectNextCount(1)
        .verifyComplete();
    StepVerifier.create(client(3).listCalendars(CONNECTION, 250, null))
        .expectNextCount(1)
        .verifyComplete();

    assertThat(requests("events.list", "503")).isEqualTo(1);
    assertThat(requests("events.list", "429")).isEqualTo(1);
    assertThat(requests("events.list", "200")).isEqualTo(1);
    assertThat(requests("calendarList.list", "200")).isEqualTo(1);
    assertThat(retries("server_error")).isEqualTo(1.0);
    assertThat(retries("rate_limited")).isEqualTo(1.0);
    // a few fixed latency buckets, never percentiles
    assertThat(
            meters
                .get("calsync.google.requests")
                .tag("status", "200")
                .tag("operation", "events.list")
                .timer()
                .takeSnapshot()
                .histogramCounts())
        .hasSizeBetween(5, 12);
  }

  @Test
  void aTimeoutIsItsOwnStatusAndRetryReason() throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"calendarList.list\",\"status\":0,\"reason\":\"latency\",\"times\":1,\"delay_ms\":1500}");
    GoogleProperties quick =
        new GoogleProperties(
            google.baseUrl() + "/",
            "tests",
            Duration.ofSeconds(5),
            Duration.ofMillis(500),
            1,
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            2,
            600);
    StepVerifier.create(
            new GoogleCalendarClient(quick, tokens, scheduler, meters)
                .listCalendars(CONNECTION, 250, null))
        .expectNextCount(1)
        .verifyComplete();

    assertThat(requests("calendarList.list", "timeout")).isEqualTo(1);
    assertThat(retries("timeout")).isEqualTo(1.0);
  }

  private long requests(String operation, String status) {
    Timer timer =
        meters
            .find("calsync.google.requests")
            .tag("operation", operation)
            .tag("status", status)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  private double retries(String reason) {
    Counter counter = meters.find("calsync.google.retries").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void retriesAreBoundedThenTheTransientFailureSurfaces() throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"events.list\",\"status\":429,\"reason\":\"rateLimitExceeded\",\"times\":5,\"delay_ms\":0}");
    StepVerifier.create(client(2).listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null))
        .expectErrorSatisfies(
            e -> assertThat(((GoogleCallException) e).kind()).isEqualTo(Kind.TRANSIENT))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void quotaExceededIsNotRetried() throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"events.list\",\"status\":403,\"reason\":\"quotaExceeded\",\"times\":1,\"delay_ms\":0}");
    StepVerifier.create(client(3).listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null))
        .expectErrorSatisfies(
            e -> assertThat(((GoogleCallException) e).kind()).isEqualTo(Kind.QUOTA_EXCEEDED))
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void invalidatedSyncTokenIsFullSyncRequired() throws Exception {
    var client = client(0);
    String token =
        client
            .listEventsFull(CONNECTION, EMAIL, monthAgo(), 2500, null)
            .toFuture()
            .get()
            .nextSyncToken();
    admin("POST", "/emulator/v1/calendars/" + EMAIL + "/invalidate-sync-tokens", null);
    StepVerifier.create(client.listEventsIncremental(CONNECTION, EMAIL, token, 2500, null))
        .expectErrorSatisfies(
            e -> {
              assertThat(((GoogleCallException) e).kind()).isEqualTo(Kind.FULL_SYNC_REQUIRED);
              assertThat(((GoogleCallException) e).status()).isEqualTo(410);
            })
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void a401AsksForARefreshWithTheRejectedTokenAndRetriesOnce() {
    tokens.staleFirst = true;
    StepVerifier.create(client(0).listCalendars(CONNECTION, 250, null))
        .assertNext(page -> assertThat(page.items()).isNotEmpty())
        .verifyComplete();
    assertThat(tokens.rejected).hasValue(1);
    assertThat(tokens.fetched).hasValue(2);
  }

  @Test
  void whenTheForcedRefreshFindsTheGrantGoneThenReauthRequiredEndsTheCallWithoutRetries() {
    tokens.staleFirst = true;
    tokens.grantGone = true;
    StepVerifier.create(client(3).listCalendars(CONNECTION, 250, null))
        .expectError(ReauthRequiredException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(tokens.rejected).hasValue(1);
    assertThat(tokens.fetched).hasValue(1);
  }

  @Test
  void whenTheRefreshedTokenIsRefusedTooThenItIsReportedAndTheCallEndsUnauthorized()
      throws Exception {
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"calendarList.list\",\"status\":401,\"reason\":\"authError\",\"times\":2,\"delay_ms\":0}");
    StepVerifier.create(client(3).listCalendars(CONNECTION, 250, null))
        .expectErrorSatisfies(
            e -> {
              assertThat(((GoogleCallException) e).kind()).isEqualTo(Kind.UNAUTHORIZED);
              assertThat(((GoogleCallException) e).code()).isEqualTo("google_unauthorized");
            })
        .verify(Duration.ofSeconds(10));
    // both refused tokens went back to oauth-service; no third call at Google
    assertThat(tokens.reported).hasValue(2);
    assertThat(tokens.fetched).hasValue(3);
  }

  @Test
  void whenTheGrantIsGoneByTheSecondReportThenReauthRequired() throws Exception {
    tokens.grantGoneOnSecondReport = true;
    admin(
        "POST",
        "/emulator/v1/faults",
        "{\"operation\":\"calendarList.list\",\"status\":401,\"reason\":\"authError\",\"times\":2,\"delay_ms\":0}");
    StepVerifier.create(client(3).listCalendars(CONNECTION, 250, null))
        .expectError(ReauthRequiredException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(tokens.reported).hasValue(2);
  }

  @Test
  void aConnectionsRateLimiterGoesAfterItsIdleTimeOrWhenTheConnectionIsForgotten() {
    AtomicLong nanos = new AtomicLong();
    GoogleCalendarClient client =
        new GoogleCalendarClient(props(0), tokens, scheduler, meters, nanos::get);
    UUID idle = UUID.randomUUID();
    UUID gone = UUID.randomUUID();
    StepVerifier.create(client.listCalendars(idle, 250, null)).expectNextCount(1).verifyComplete();
    StepVerifier.create(client.listCalendars(gone, 250, null)).expectNextCount(1).verifyComplete();
    assertThat(client.holdsLimiter(idle)).isTrue();

    client.forget(gone);
    assertThat(client.holdsLimiter(gone)).isFalse();

    nanos.addAndGet(GoogleCalendarClient.LIMITER_IDLE.minusSeconds(1).toNanos());
    assertThat(client.holdsLimiter(idle)).isTrue();
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(client.holdsLimiter(idle)).isFalse();
  }

  @Test
  void unknownCalendarIsNotFound() {
    StepVerifier.create(
            client(0).listEventsFull(CONNECTION, "nope@example.com", monthAgo(), 10, null))
        .expectErrorSatisfies(
            e -> assertThat(((GoogleCallException) e).kind()).isEqualTo(Kind.NOT_FOUND))
        .verify(Duration.ofSeconds(10));
  }
}
