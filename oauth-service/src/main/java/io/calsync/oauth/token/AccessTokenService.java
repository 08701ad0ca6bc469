package io.calsync.oauth.token;

import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenColumn;
import io.calsync.oauth.google.GoogleOAuthClient;
import io.calsync.oauth.google.GoogleOAuthException;
import io.calsync.oauth.outbox.OutboxWriter;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.calsync.oauth.persistence.TokenCustody;
import io.calsync.oauth.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Hands out a connection's access token, refreshing it at Google when it has less than {@code
 * calsync.token.refresh-ahead} left.
 *
 * <p>One refresh per connection at a time across all instances: the refresh runs in a transaction
 * that first locks the connection and token rows ({@code SELECT ... FOR UPDATE}), then re-reads
 * them. A caller that waited for the lock finds the token another caller just refreshed and returns
 * it without calling Google. {@code invalid_grant}, judged against the refresh token read under the
 * lock, turns the connection to {@code reauth_required} and writes {@code
 * connection.reauth_required} to the outbox in that same transaction.
 */
@Service
class AccessTokenService {

  private static final Logger log = LoggerFactory.getLogger(AccessTokenService.class);

  private final ConnectionRepository connections;
  private final TokenCustody tokens;
  private final GoogleOAuthClient google;
  private final OutboxWriter outbox;
  private final TransactionalOperator transactions;
  private final TokenProperties properties;
  private final Clock clock;
  private final MeterRegistry meters;

  AccessTokenService(
      ConnectionRepository connections,
      TokenCustody tokens,
      GoogleOAuthClient google,
      OutboxWriter outbox,
      TransactionalOperator transactions,
      TokenProperties properties,
      Clock clock,
      MeterRegistry meters) {
    this.connections = connections;
    this.tokens = tokens;
    this.google = google;
    this.outbox = outbox;
    this.transactions = transactions;
    this.properties = properties;
    this.clock = clock;
    this.meters = meters;
    for (String outcome : new String[] {"refreshed", "reauth_required", "failed"}) {
      refreshCounter(outcome);
    }
  }

  private Counter refreshCounter(String outcome) {
    return Counter.builder("calsync.oauth.token.refreshes")
        .description("Access-token refreshes at Google by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  /**
   * The connection's access token, refreshed first when it has less than {@code refreshAhead} left.
   * With {@code rejectedAccessToken} (a token Google answered 401 to) the token is refreshed at
   * Google even when it is not near its expiry, unless the stored token is no longer the rejected
   * one: then someone refreshed meanwhile and the current token is the answer. The comparison runs
   * under the row lock, so concurrent callers reporting the same token cause one refresh. A null or
   * empty {@code rejectedAccessToken} is the usual behaviour.
   */
  Mono<AccessToken> accessToken(UUID connectionId, String rejectedAccessToken) {
    String rejected =
        rejectedAccessToken == null || rejectedAccessToken.isEmpty() ? null : rejectedAccessToken;
    return connections
        .findById(connectionId)
        .filter(Connection::isLive)
        .switchIfEmpty(Mono.error(() -> notFound(connectionId)))
        .flatMap(
            connection -> {
              if (connection.status() == ConnectionStatus.REAUTH_REQUIRED) {
                return Mono.error(reauthRequired(connectionId));
              }
              return tokens
                  .find(connectionId)
                  .switchIfEmpty(Mono.error(() -> reauthRequired(connectionId)))
                  .flatMap(
                      stored ->
                          rejected == null && isFresh(stored)
                              ? open(stored)
                              : refreshSingleFlight(connectionId, rejected));
            });
  }

  private boolean isFresh(StoredTokens stored) {
    return stored.accessExpiresAt().isAfter(clock.instant().plus(properties.refreshAhead()));
  }

  private Mono<AccessToken> open(StoredTokens stored) {
    return tokens.openAccess(stored).map(value -> new AccessToken(value, stored.accessExpiresAt()));
  }

  private Mono<AccessToken> refreshSingleFlight(UUID connectionId, String rejected) {
    Mono<Outcome> work =
        connections
            .lock(connectionId)
            .flatMap(
                connection -> {
                  if (connection.status() == ConnectionStatus.DISCONNECTED) {
                    return Mono.just(Outcome.NOT_FOUND);
                  }
                  if (connection.status() == ConnectionStatus.REAUTH_REQUIRED) {
                    return Mono.just(Outcome.REAUTH);
                  }
                  return tokens
                      .lock(connectionId)
                      .flatMap(stored -> refreshLocked(connection, stored, rejected))
                      .defaultIfEmpty(Outcome.REAUTH);
                })
            .defaultIfEmpty(Outcome.NOT_FOUND);
    return transactions
        .transactional(work)
        .flatMap(
            outcome -> {
              if (outcome.token() != null) {
                return Mono.just(outcome.token());
              }
              if (outcome == Outcome.NOT_FOUND) {
                return Mono.error(notFound(connectionId));
              }
              return Mono.error(reauthRequired(connectionId));
            });
  }

  /** Runs with both rows locked. */
  private Mono<Outcome> refreshLocked(Connection connection, StoredTokens stored, String rejected) {
    if (!isFresh(stored)) {
      return refreshAtGoogle(connection, stored);
    }
    if (rejected == null) {
      return open(stored).map(Outcome::fresh); // refreshed meanwhile by someone else
    }
    return open(stored)
        .flatMap(
            current ->
                sameToken(current.value(), rejected)
                    ? refreshAtGoogle(connection, stored) // Google refused the token we hold
                    : Mono.just(Outcome.fresh(current))); // someone refreshed meanwhile
  }

  /** Constant-time comparison, so the answer time tells nothing about the stored token. */
  private static boolean sameToken(String stored, String rejected) {
    return MessageDigest.isEqual(
        stored.getBytes(StandardCharsets.UTF_8), rejected.getBytes(StandardCharsets.UTF_8));
  }

  private Mono<Outcome> refreshAtGoogle(Connection connection, StoredTokens stored) {
    if (stored.refresh() == null) {
      return markReauthRequired(connection, "no_refresh_token");
    }
    Instant requestedAt = clock.instant();
    return tokens
        .open(stored, TokenColumn.REFRESH)
        .flatMap(google::refresh)
        .flatMap(
            response -> {
              Instant expiresAt =
                  requestedAt.plusSeconds(
                      response.expiresIn() == null ? 3600 : response.expiresIn());
              return tokens
                  .store(
                      connection.id(), response.accessToken(), expiresAt, response.refreshToken())
                  .thenReturn(Outcome.fresh(new AccessToken(response.accessToken(), expiresAt)));
            })
        .doOnNext(
            outcome -> {
              refreshCounter("refreshed").increment();
              log.info("Refreshed the access token of connection {}", connection.id());
            })
        .onErrorResume(
            e -> e instanceof GoogleOAuthException g && g.isInvalidGrant(),
            e -> markReauthRequired(connection, "invalid_grant"))
        .doOnError(e -> refreshCounter("failed").increment());
  }

  private Mono<Outcome> markReauthRequired(Connection connection, String reason) {
    Instant now = clock.instant();
    log.warn("Connection {} needs to be connected again ({})", connection.id(), reason);
    refreshCounter("reauth_required").increment();
    return connections
        .updateStatus(connection.id(), ConnectionStatus.REAUTH_REQUIRED, now)
        .then(
            outbox.append(
                new ConnectionReauthRequired(
                    connection.id(), connection.userId(), now.atOffset(ZoneOffset.UTC), reason)))
        .thenReturn(Outcome.REAUTH);
  }

  /** What the locked transaction decided; turned into a token or an error after it committed. */
  private record Outcome(AccessToken token, String kind) {
    static final Outcome REAUTH = new Outcome(null, "reauth");
    static final Outcome NOT_FOUND = new Outcome(null, "not_found");

    static Outcome fresh(AccessToken token) {
      return new Outcome(token, "fresh");
    }
  }

  private static ProblemException notFound(UUID connectionId) {
    return ProblemException.notFound("Connection " + connectionId + " was not found.");
  }

  private static ProblemException reauthRequired(UUID connectionId) {
    return ProblemException.reauthRequired(
        "Connection " + connectionId + " needs to be connected again.");
  }
}
