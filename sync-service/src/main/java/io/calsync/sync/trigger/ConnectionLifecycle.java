package io.calsync.sync.trigger;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.sync.engine.ConnectionRetirement;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.publish.EventChangePublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Applies connection lifecycle messages. Each handling is idempotent, so a redelivered message
 * changes nothing more: {@code connected} upserts and triggers a (coalesced) sync; {@code
 * reauth_required} marks the connection; {@code disconnected} leaves a tombstone, announces {@code
 * calendar.removed} for each calendar (acknowledged by Kafka), stops its push channels at Google
 * (best effort), drops its cache entries and only then forgets the connection.
 */
@Service
class ConnectionLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);
  private static final Duration TOMBSTONE_TTL = Duration.ofDays(1);

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final SyncStateRepository states;
  private final EventChangePublisher publisher;
  private final SyncCoordinator coordinator;
  private final ConnectionRetirement retirement;
  private final Clock clock;

  ConnectionLifecycle(
      ConnectionRepository connections,
      CalendarRepository calendars,
      SyncStateRepository states,
      EventChangePublisher publisher,
      SyncCoordinator coordinator,
      ConnectionRetirement retirement,
      Clock clock) {
    this.connections = connections;
    this.calendars = calendars;
    this.states = states;
    this.publisher = publisher;
    this.coordinator = coordinator;
    this.retirement = retirement;
    this.clock = clock;
  }

  Mono<Void> handle(ConnectionMessage message) {
    if (message instanceof ConnectionConnected c) {
      return connected(c);
    }
    if (message instanceof ConnectionReauthRequired r) {
      return reauthRequired(r);
    }
    if (message instanceof ConnectionDisconnected d) {
      return disconnected(d);
    }
    return Mono.empty();
  }

  private Mono<Void> connected(ConnectionConnected m) {
    log.info("connection {} connected; sync requested", m.connectionId());
    return connections
        .upsert(m.connectionId(), m.userId(), m.accountEmail(), Connection.ACTIVE, clock.instant())
        .then(coordinator.request(m.connectionId(), SyncTrigger.CONNECT))
        .then();
  }

  private Mono<Void> reauthRequired(ConnectionReauthRequired m) {
    log.info("connection {} needs re-consent", m.connectionId());
    return connections
        .upsert(m.connectionId(), m.userId(), null, Connection.REAUTH_REQUIRED, clock.instant())
        .then(
            states.connectionReauthRequired(
                m.connectionId(), "The Google grant is gone; connect the account again."));
  }

  private Mono<Void> disconnected(ConnectionDisconnected m) {
    log.info("connection {} disconnected; forgetting its calendars", m.connectionId());
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    // the tombstone first: a look-up at oauth-service read before this disconnect must not bring
    // the connection back (KnownConnections); kept a day, far longer than a look-up takes
    Instant disconnectedAt = m.occurredAt() == null ? clock.instant() : m.occurredAt().toInstant();
    return connections
        .tombstone(m.connectionId(), disconnectedAt, clock.instant().minus(TOMBSTONE_TTL))
        .then(connections.find(m.connectionId()))
        .flatMap(
            conn ->
                calendars
                    .findByConnection(conn.id())
                    .concatMap(
                        cal ->
                            publisher.publish(
                                new CalendarRemoved(conn.id(), conn.userId(), now, cal.id())))
                    // its push channels at Google and its cache entries go before its rows
                    .then(retirement.retire(conn.id()))
                    .then(connections.delete(conn.id())));
  }
}
