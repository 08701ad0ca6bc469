package io.calsync.sync.engine;

import io.calsync.sync.google.GoogleCalendarClient;
import io.calsync.sync.token.AccessTokens;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * What a disconnected connection leaves outside the database: its push channels at Google and its
 * entries in the in-memory caches (the access token, a secret, and the rate limiter). The channels
 * are stopped best effort within {@link #CHANNEL_STOP_BUDGET} (oauth-service may already have
 * revoked the grant, so the token is often refused), then the caches drop the connection at once.
 */
@Service
public class ConnectionRetirement {

  private static final Logger log = LoggerFactory.getLogger(ConnectionRetirement.class);

  /** Well inside the connection listener's wait for one message. */
  static final Duration CHANNEL_STOP_BUDGET = Duration.ofSeconds(20);

  private final WatchChannels channels;
  private final GoogleCalendarClient google;
  private final AccessTokens tokens;

  ConnectionRetirement(WatchChannels channels, GoogleCalendarClient google, AccessTokens tokens) {
    this.channels = channels;
    this.google = google;
    this.tokens = tokens;
  }

  public Mono<Void> retire(UUID connectionId) {
    return channels
        .stopAllOf(connectionId)
        .timeout(CHANNEL_STOP_BUDGET)
        .onErrorResume(
            e -> {
              log.info(
                  "push channels of connection {} not all stopped at Google: {}",
                  connectionId,
                  e.toString());
              return Mono.empty();
            })
        .then(
            Mono.fromRunnable(
                () -> {
                  google.forget(connectionId);
                  tokens.forget(connectionId);
                }));
  }
}
