package io.calsync.sync.trigger;

import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.persistence.WatchChannelRepository;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Google's push notifications (the {@code X-Goog-Channel-*} and {@code X-Goog-Resource-State}
 * headers of a POST to the webhook). Only an active channel whose secret token matches is believed
 * (forged, unknown and stopped channels are ignored); {@code sync} (the handshake) is ignored;
 * {@code exists} requests a debounced incremental sync of the channel's calendar only. Google does
 * not send a notification again once it was answered 200, so one that arrives while the database is
 * away is retried here until it is recorded.
 */
@Service
public class PushNotifications {

  private static final Logger log = LoggerFactory.getLogger(PushNotifications.class);

  private static final Duration RETRY_FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration RETRY_MAX_BACKOFF = Duration.ofSeconds(30);

  /** Beyond this many waiting notifications (forged ones too) the backstop finds the changes. */
  private static final int MAX_RETRYING = 10_000;

  private final WatchChannelRepository channels;

  /** Notifications waiting for the database, by channel and token: the same one is kept once. */
  private final Map<String, Disposable> retrying = new ConcurrentHashMap<>();

  private final SyncCoordinator coordinator;
  private final SyncProperties props;

  PushNotifications(
      WatchChannelRepository channels, SyncCoordinator coordinator, SyncProperties props) {
    this.channels = channels;
    this.coordinator = coordinator;
    this.props = props;
  }

  /**
   * Completes with true when the notification caused a sync request. Never fails: a notification
   * that cannot be recorded because the database is away is kept (once per channel and token) and
   * recorded in the background, with backoff, once it is back (module README, decision "A push
   * during a database outage").
   */
  public Mono<Boolean> handle(String channelId, String token, String resourceState) {
    if (channelId == null || token == null || resourceState == null) {
      return Mono.just(false);
    }
    return record(channelId, token, resourceState)
        .onErrorResume(
            e -> {
              if (!databaseAway(e)) {
                log.warn(
                    "push notification for channel {} not handled: {}", channelId, e.toString());
              } else if (retrying.size() < MAX_RETRYING) {
                retrying.computeIfAbsent(
                    channelId + " " + token,
                    key -> retryUntilRecorded(key, channelId, token, resourceState, e));
              }
              return Mono.just(false);
            });
  }

  private Mono<Boolean> record(String channelId, String token, String resourceState) {
    return channels
        .findActive(channelId)
        .filter(
            c ->
                MessageDigest.isEqual(
                    c.token().getBytes(StandardCharsets.UTF_8),
                    token.getBytes(StandardCharsets.UTF_8)))
        .filter(c -> !"sync".equals(resourceState))
        .flatMap(
            c ->
                coordinator
                    .requestCalendarAfter(c.connectionId(), c.calendarId(), props.pushDebounce())
                    .thenReturn(true))
        .defaultIfEmpty(false);
  }

  private Disposable retryUntilRecorded(
      String key, String channelId, String token, String resourceState, Throwable first) {
    log.warn(
        "push notification for channel {} not recorded, the database is away ({}); retrying until"
            + " it is back",
        channelId,
        first.toString());
    return Mono.delay(RETRY_FIRST_BACKOFF)
        .then(Mono.defer(() -> record(channelId, token, resourceState)))
        .retryWhen(
            Retry.backoff(Long.MAX_VALUE, RETRY_FIRST_BACKOFF)
                .maxBackoff(RETRY_MAX_BACKOFF)
                .filter(PushNotifications::databaseAway))
        .doFinally(signal -> retrying.remove(key))
        .subscribe(
            recorded -> {
              if (recorded) {
                log.info("push notification for channel {} recorded late", channelId);
              }
            },
            e ->
                log.warn(
                    "push notification for channel {} not handled: {}", channelId, e.toString()));
  }

  /** The database unreachable or failing transiently: worth waiting for, never a bug. */
  static boolean databaseAway(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessException
          || t instanceof CannotCreateTransactionException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Stops the background retries with the application (their channels' backstop remains). */
  @PreDestroy
  void stop() {
    retrying.values().forEach(Disposable::dispose);
  }
}
