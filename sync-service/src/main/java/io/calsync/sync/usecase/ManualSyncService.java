package io.calsync.sync.usecase;

import io.calsync.sync.model.Connection;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.trigger.ManualSync;
import io.calsync.sync.trigger.SyncCoordinator;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * "Sync now" ({@code POST /api/calendar/sync/}): the caller's connections it may name, and the
 * manual trigger of each (sync rule 1a of the module README).
 */
@Service
public class ManualSyncService {

  private final ConnectionRepository connections;
  private final KnownConnections known;
  private final SyncCoordinator coordinator;

  ManualSyncService(
      ConnectionRepository connections, KnownConnections known, SyncCoordinator coordinator) {
    this.connections = connections;
    this.known = known;
    this.coordinator = coordinator;
  }

  /** The caller's connections that are not waiting for re-consent. */
  public Flux<Connection> activeConnectionsOf(String userId) {
    return connections.findByUser(userId).filter(Connection::active);
  }

  /**
   * Empty when the connection does not exist or is not the user's; one not heard of yet is asked of
   * oauth-service ({@link KnownConnections}).
   */
  public Mono<Connection> connectionOf(String userId, UUID connectionId) {
    return known.ofUser(userId, connectionId);
  }

  /**
   * Queued, or limited while the connection is in its manual-sync window; empty when it needs
   * re-consent (see {@link SyncCoordinator#requestManual}).
   */
  public Mono<ManualSync> request(Connection conn) {
    return coordinator.requestManual(conn.id());
  }
}
