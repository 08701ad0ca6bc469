package io.calsync.sync.usecase;

import io.calsync.sync.model.Connection;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.token.OAuthConnection;
import io.calsync.sync.token.OAuthConnectionClient;
import io.calsync.sync.trigger.SyncCoordinator;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A connection of the caller by id, read-your-writes across services (module README, decision
 * "Read-your-writes"): a connection known here answers from here; one this service has not heard of
 * yet (its {@code connection.connected} not consumed) is asked of oauth-service, and when it is the
 * caller's it is written here as {@code connection.connected} would (a sync requested), unless a
 * {@code connection.disconnected} handled here is as recent. Another user's connection stays empty
 * (a 404 that reveals nothing); oauth-service down is {@link
 * io.calsync.sync.token.OAuthUnavailableException} (a 503).
 */
@Service
class KnownConnections {

  private static final Logger log = LoggerFactory.getLogger(KnownConnections.class);

  private final ConnectionRepository connections;
  private final OAuthConnectionClient oauth;
  private final SyncCoordinator coordinator;
  private final Clock clock;

  KnownConnections(
      ConnectionRepository connections,
      OAuthConnectionClient oauth,
      SyncCoordinator coordinator,
      Clock clock) {
    this.connections = connections;
    this.oauth = oauth;
    this.coordinator = coordinator;
    this.clock = clock;
  }

  /** Empty when the connection does not exist or is not the user's. */
  Mono<Connection> ofUser(String userId, UUID connectionId) {
    return connections
        .find(connectionId)
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            local ->
                local.isPresent()
                    ? Mono.justOrEmpty(local.filter(c -> c.userId().equals(userId)))
                    : fromOAuth(userId, connectionId));
  }

  private Mono<Connection> fromOAuth(String userId, UUID connectionId) {
    return oauth
        .find(connectionId)
        .filter(c -> userId.equals(c.userId()))
        .flatMap(c -> learn(c).then(connections.findForUser(connectionId, userId)));
  }

  private Mono<Void> learn(OAuthConnection c) {
    return connections
        .insertUnlessForgotten(
            c.id(), c.userId(), c.accountEmail(), c.status(), c.updatedAt(), clock.instant())
        .flatMap(
            inserted -> {
              if (!inserted) {
                return Mono.empty();
              }
              log.info("connection {} learned from oauth-service before its Kafka message", c.id());
              return Connection.ACTIVE.equals(c.status())
                  ? coordinator.request(c.id(), SyncTrigger.CONNECT).then()
                  : Mono.empty();
            });
  }
}
