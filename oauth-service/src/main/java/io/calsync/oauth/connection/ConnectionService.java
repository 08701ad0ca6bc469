package io.calsync.oauth.connection;

import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenColumn;
import io.calsync.oauth.google.GoogleOAuthClient;
import io.calsync.oauth.outbox.OutboxWriter;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.calsync.oauth.persistence.TokenCustody;
import io.calsync.oauth.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The caller's connections: list them, and disconnect one. */
@Service
class ConnectionService {

  private static final Logger log = LoggerFactory.getLogger(ConnectionService.class);

  private final ConnectionRepository connections;
  private final TokenCustody tokens;
  private final OutboxWriter outbox;
  private final GoogleOAuthClient google;
  private final TransactionalOperator transactions;
  private final Clock clock;

  ConnectionService(
      ConnectionRepository connections,
      TokenCustody tokens,
      OutboxWriter outbox,
      GoogleOAuthClient google,
      TransactionalOperator transactions,
      Clock clock) {
    this.connections = connections;
    this.tokens = tokens;
    this.outbox = outbox;
    this.google = google;
    this.transactions = transactions;
    this.clock = clock;
  }

  Flux<Connection> list(String userId) {
    return connections.findLiveByUser(userId);
  }

  /** A connection that is not disconnected, whoever owns it (the internal API). */
  Mono<Connection> findLive(UUID connectionId) {
    return connections.findById(connectionId).filter(Connection::isLive);
  }

  /**
   * Disconnects the user's connection: in one transaction the token rows are destroyed, the
   * connection is marked disconnected and {@code connection.disconnected} is written to the outbox.
   * Then the grant is revoked at Google, best effort: when Google is down the connection is still
   * gone here (the user asked for it, and we no longer hold a token), and the failure is logged
   * without the token.
   */
  Mono<Void> disconnect(String userId, UUID connectionId) {
    Instant now = clock.instant();
    Mono<Optional<StoredTokens>> work =
        connections
            .lockLive(connectionId, userId)
            .switchIfEmpty(
                Mono.error(
                    () ->
                        ProblemException.notFound(
                            "Connection " + connectionId + " was not found.")))
            .flatMap(
                connection ->
                    tokens
                        .find(connectionId)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .flatMap(
                            stored ->
                                tokens
                                    .destroy(connectionId)
                                    .then(
                                        connections.updateStatus(
                                            connectionId, ConnectionStatus.DISCONNECTED, now))
                                    .then(
                                        outbox.append(
                                            new ConnectionDisconnected(
                                                connectionId,
                                                userId,
                                                now.atOffset(ZoneOffset.UTC))))
                                    .thenReturn(stored)));
    return transactions
        .transactional(work)
        .doOnNext(stored -> log.info("User {} disconnected connection {}", userId, connectionId))
        .flatMap(stored -> stored.map(t -> revoke(connectionId, t)).orElseGet(Mono::empty));
  }

  private Mono<Void> revoke(UUID connectionId, StoredTokens stored) {
    // Revoking the refresh token ends the whole grant; the access token does too when there is
    // none.
    TokenColumn column = stored.refresh() != null ? TokenColumn.REFRESH : TokenColumn.ACCESS;
    return tokens
        .open(stored, column)
        .flatMap(google::revoke)
        .doOnSuccess(done -> log.info("Revoked the Google grant of connection {}", connectionId))
        .onErrorResume(
            e -> {
              log.warn(
                  "Could not revoke the Google grant of connection {} (removed locally anyway): {}",
                  connectionId,
                  e.getMessage());
              return Mono.empty();
            });
  }
}
