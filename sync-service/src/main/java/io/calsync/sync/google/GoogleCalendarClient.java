package io.calsync.sync.google;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Events;
import io.calsync.sync.google.GoogleCallException.Kind;
import io.calsync.sync.token.AccessTokens;
import io.calsync.sync.token.ReauthRequiredException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * The Google Calendar API for the sync engine. The Java client is blocking, so every call runs as
 * {@code Mono.fromCallable(..).subscribeOn(googleScheduler)} (a bounded scheduler). One shape for
 * every call: per-connection rate limit → call → map failures to {@link GoogleCallException} → 401
 * once: a forced refresh at oauth-service with the rejected token, and again (its 409 ends the run
 * as reauth_required; a second 401 reports that token too and ends the call) → transient failures
 * retried with jittered exponential backoff.
 */
@Component
public class GoogleCalendarClient {

  private static final Logger log = LoggerFactory.getLogger(GoogleCalendarClient.class);

  /** A call against a client built for one access token. */
  @FunctionalInterface
  interface Call<T> {
    T execute(Calendar calendar) throws Exception;
  }

  private final GoogleProperties props;
  private final AccessTokens tokens;
  private final Scheduler scheduler;
  private final GoogleMeters meters;
  private final HttpTransport transport = new NetHttpTransport();

  /**
   * One limiter per connection, dropped after {@link #LIMITER_IDLE} without a call (a limiter idle
   * longer than its one-minute period is as full as a new one, so nothing is lost) or at once when
   * the connection is forgotten.
   */
  private final Cache<UUID, RateLimiter> limiters;

  /** Longer than the limiter's one-minute refresh period. */
  static final Duration LIMITER_IDLE = Duration.ofMinutes(5);

  @Autowired
  GoogleCalendarClient(
      GoogleProperties props,
      AccessTokens tokens,
      @Qualifier("googleScheduler") Scheduler scheduler,
      MeterRegistry meters) {
    this(props, tokens, scheduler, meters, Ticker.systemTicker());
  }

  GoogleCalendarClient(
      GoogleProperties props,
      AccessTokens tokens,
      Scheduler scheduler,
      MeterRegistry meters,
      Ticker ticker) {
    this.props = props;
    this.tokens = tokens;
    this.scheduler = scheduler;
    this.meters = new GoogleMeters(meters);
    this.limiters = Caffeine.newBuilder().expireAfterAccess(LIMITER_IDLE).ticker(ticker).build();
  }

  /** The connection is gone: its rate limiter goes at once. */
  public void forget(UUID connectionId) {
    limiters.invalidate(connectionId);
  }

  /** Whether a rate limiter is held for the connection (for tests; not an access). */
  boolean holdsLimiter(UUID connectionId) {
    return limiters.policy().getIfPresentQuietly(connectionId) != null;
  }

  public Mono<CalendarListPage> listCalendars(UUID connectionId, int pageSize, String pageToken) {
    return call(
        connectionId,
        "calendarList.list",
        cal -> {
          CalendarList list =
              cal.calendarList().list().setMaxResults(pageSize).setPageToken(pageToken).execute();
          return new CalendarListPage(
              list.getItems() == null
                  ? List.of()
                  : list.getItems().stream().map(EventMapper::attributes).toList(),
              list.getNextPageToken());
        });
  }

  /**
   * One page of a full sync: no sync token, {@code timeMin}, {@code maxResults}, {@code
   * singleEvents=false}, {@code showDeleted=false}.
   */
  public Mono<EventsPage> listEventsFull(
      UUID connectionId, String calendarId, Instant timeMin, int pageSize, String pageToken) {
    return call(
        connectionId,
        "events.list",
        cal ->
            page(
                cal.events()
                    .list(calendarId)
                    .setTimeMin(new DateTime(timeMin.toEpochMilli()))
                    .setMaxResults(pageSize)
                    .setSingleEvents(false)
                    .setShowDeleted(false)
                    .setPageToken(pageToken)
                    .execute()));
  }

  /**
   * One page of an incremental sync: the sync token and none of the parameters Google forbids with
   * it ({@code timeMin}, {@code timeMax}, {@code orderBy}, {@code q}, {@code updatedMin}, ...);
   * {@code singleEvents} and {@code maxResults} as in the full sync.
   */
  public Mono<EventsPage> listEventsIncremental(
      UUID connectionId, String calendarId, String syncToken, int pageSize, String pageToken) {
    return call(
        connectionId,
        "events.list",
        cal ->
            page(
                cal.events()
                    .list(calendarId)
                    .setSyncToken(syncToken)
                    .setMaxResults(pageSize)
                    .setSingleEvents(false)
                    .setPageToken(pageToken)
                    .execute()));
  }

  /**
   * {@code events.watch}: a push channel for the calendar's events. Returns Google's resource id
   * and the channel's expiry.
   */
  public Mono<WatchedChannel> watch(
      UUID connectionId,
      String calendarId,
      String channelId,
      String address,
      String token,
      Duration ttl) {
    return call(
        connectionId,
        "events.watch",
        cal -> {
          Channel request =
              new Channel()
                  .setId(channelId)
                  .setType("web_hook")
                  .setAddress(address)
                  .setToken(token)
                  .setParams(java.util.Map.of("ttl", Long.toString(ttl.toSeconds())));
          Channel channel = cal.events().watch(calendarId, request).execute();
          Instant expires =
              channel.getExpiration() == null
                  ? null
                  : Instant.ofEpochMilli(channel.getExpiration());
          return new WatchedChannel(channelId, channel.getResourceId(), expires);
        });
  }

  /** {@code channels.stop}. */
  public Mono<Void> stopChannel(UUID connectionId, String channelId, String resourceId) {
    return call(
            connectionId,
            "channels.stop",
            cal -> {
              cal.channels()
                  .stop(new Channel().setId(channelId).setResourceId(resourceId))
                  .execute();
              return Boolean.TRUE;
            })
        .then();
  }

  private static EventsPage page(Events events) {
    return new EventsPage(
        events.getItems() == null
            ? List.of()
            : events.getItems().stream().map(EventMapper::payload).toList(),
        blankToNull(events.getNextPageToken()),
        blankToNull(events.getNextSyncToken()));
  }

  <T> Mono<T> call(UUID connectionId, String operation, Call<T> call) {
    Mono<T> once =
        tokens
            .accessToken(connectionId)
            .flatMap(
                token ->
                    execute(operation, token, call)
                        .onErrorResume(
                            GoogleCalendarClient::unauthorized,
                            e ->
                                tokens
                                    .refreshRejected(connectionId, token)
                                    .flatMap(
                                        t ->
                                            execute(operation, t, call)
                                                .onErrorResume(
                                                    GoogleCalendarClient::unauthorized,
                                                    again -> rejectedTwice(connectionId, t)))));
    return once.transformDeferred(RateLimiterOperator.of(limiter(connectionId)))
        .retryWhen(
            Retry.backoff(props.maxRetries(), props.minBackoff())
                .maxBackoff(props.maxBackoff())
                .jitter(0.5)
                .filter(e -> e instanceof GoogleCallException g && g.transientFailure())
                .doBeforeRetry(
                    s -> {
                      meters.retry(s.failure());
                      log.info(
                          "{} for connection {} failed ({}), retry {}",
                          operation,
                          connectionId,
                          s.failure().getMessage(),
                          s.totalRetries() + 1);
                    })
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
  }

  private static boolean unauthorized(Throwable e) {
    return e instanceof GoogleCallException g && g.kind() == Kind.UNAUTHORIZED;
  }

  /**
   * Google refused the token of a forced refresh too (sync rule 8; module README, decision "A
   * second 401"): that token is reported as well, so a grant revoked meanwhile meets {@code
   * invalid_grant} at oauth-service and the call ends {@link ReauthRequiredException}; otherwise
   * the call ends {@code google_unauthorized}, not retried here, and the next run starts with the
   * token oauth-service refreshed now.
   */
  private <T> Mono<T> rejectedTwice(UUID connectionId, String rejected) {
    return tokens
        .refreshRejected(connectionId, rejected)
        .onErrorResume(e -> !(e instanceof ReauthRequiredException), e -> Mono.empty())
        .then(
            Mono.error(
                new GoogleCallException(
                    Kind.UNAUTHORIZED,
                    401,
                    "authError",
                    "Google refused a freshly refreshed access token; the next run tries again.")));
  }

  private <T> Mono<T> execute(String operation, String token, Call<T> call) {
    return Mono.fromCallable(() -> timed(operation, token, call))
        .subscribeOn(scheduler)
        .onErrorMap(e -> GoogleErrors.translate(operation, e));
  }

  /** Every request to Google goes out here, on the Google scheduler, and is timed. */
  private <T> T timed(String operation, String token, Call<T> call) throws Exception {
    AtomicInteger status = new AtomicInteger();
    long start = System.nanoTime();
    try {
      T result = call.execute(calendar(token, status));
      meters.answered(operation, status.get(), System.nanoTime() - start);
      return result;
    } catch (Exception e) {
      meters.failed(operation, e, System.nanoTime() - start);
      throw e;
    }
  }

  private Calendar calendar(String accessToken, AtomicInteger status) {
    HttpRequestInitializer init =
        request -> {
          request.setResponseInterceptor(response -> status.set(response.getStatusCode()));
          request.getHeaders().setAuthorization("Bearer " + accessToken);
          request.setConnectTimeout((int) props.connectTimeout().toMillis());
          request.setReadTimeout((int) props.readTimeout().toMillis());
          request.setNumberOfRetries(0);
        };
    return new Calendar.Builder(transport, GsonFactory.getDefaultInstance(), init)
        .setRootUrl(props.rootUrl())
        .setApplicationName(props.applicationName())
        .build();
  }

  private RateLimiter limiter(UUID connectionId) {
    return limiters.get(
        connectionId,
        id ->
            RateLimiter.of(
                "google-" + id,
                RateLimiterConfig.custom()
                    .limitForPeriod(props.requestsPerMinute())
                    .limitRefreshPeriod(Duration.ofMinutes(1))
                    .timeoutDuration(Duration.ofMinutes(2))
                    .build()));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
