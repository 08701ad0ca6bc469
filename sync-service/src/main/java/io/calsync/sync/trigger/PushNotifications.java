package io.calsync.sync.trigger;

import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.persistence.WatchChannelRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Google's push notifications (the {@code X-Goog-Channel-*} and {@code X-Goog-Resource-State}
 * headers of a POST to the webhook). Only an active channel whose secret token matches is believed
 * (forged, unknown and stopped channels are ignored); {@code sync} (the handshake) is ignored;
 * {@code exists} requests a debounced incremental sync of the channel's calendar only.
 */
@Service
public class PushNotifications {

  private static final Logger log = LoggerFactory.getLogger(PushNotifications.class);

  private final WatchChannelRepository channels;
  private final SyncCoordinator coordinator;
  private final SyncProperties props;

  PushNotifications(
      WatchChannelRepository channels, SyncCoordinator coordinator, SyncProperties props) {
    this.channels = channels;
    this.coordinator = coordinator;
    this.props = props;
  }

  /** Completes with true when the notification caused a sync request. Never fails. */
  public Mono<Boolean> handle(String channelId, String token, String resourceState) {
    if (channelId == null || token == null || resourceState == null) {
      return Mono.just(false);
    }
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
        .defaultIfEmpty(false)
        .onErrorResume(
            e -> {
              log.warn("push notification for channel {} not handled: {}", channelId, e.toString());
              return Mono.just(false);
            });
  }
}
