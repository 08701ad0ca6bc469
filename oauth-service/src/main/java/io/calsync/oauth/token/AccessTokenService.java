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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * Hands out a connection's access token, refreshing it at Google when it has less than {@code
 * calsync.token.refresh-ahead} left, or when the caller reports the stored token as rejected.
 *
 * <p>One refresh per connection at a time across all instances, and no transaction or row lock
 * while Google is asked (README, decision 2): one atomic {@code UPDATE} claims the refresh for
 * {@code calsync.token.refresh-timeout} by the database's clock; Google is called outside any
 * transaction; the answer is stored only while the claim is still ours, in the same statement that
 * releases it. A caller that finds the refresh claimed by someone else polls the row with a short
 * backoff until the token it needs is there, or the claim is free or expired (its holder died) and
 * it takes it over. {@code invalid_grant} turns the connection to {@code reauth_required} and
 * writes {@code connection.reauth_required} to the outbox in one short transaction, only while the
 * claim is still ours (so a reconnect meanwhile wins). Everything, waiting included, is bounded by
 * {@code calsync.token.refresh-timeout}: after it the caller gets a 503.
 */
@Service
class AccessTokenService {

  private static final Logger log = LoggerFactory.getLogger(AccessTokenService.class);
  private static final Duration FIRST_POLL = Duration.ofMillis(25);
  private static final Duration LONGEST_POLL = Duration.ofMillis(500);

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
   * one: then someone refreshed meanwhile and the current token is the answer. The comparison is
   * made again once the refresh is claimed, so concurrent callers reporting the same token cause
   * one refresh. A null or empty {@code rejectedAccessToken} is the usual behaviour.
   */
  Mono<AccessToken> accessToken(UUID connectionId, String rejectedAccessToken) {
    String rejected =
        rejectedAccessToken == null || rejectedAccessToken.isEmpty() ? null : rejectedAccessToken;
    return resolve(connectionId, rejected, 0).timeout(properties.refreshTimeout());
  }

  /** One round: the stored token if it serves, else a claimed refresh, else wait and go again. */
  private Mono<AccessToken> resolve(UUID connectionId, String rejected, int round) {
    return current(connectionId)
        .flatMap(
            current ->
                usable(current.getT2(), rejected)
                    .switchIfEmpty(Mono.defer(() -> claimAndRefresh(current.getT1(), rejected)))
                    .switchIfEmpty(
                        Mono.defer(
                            () ->
                                Mono.delay(pause(round))
                                    .then(resolve(connectionId, rejected, round + 1)))));
  }

  /** The live connection and its tokens; 404 or 409 otherwise. */
  private Mono<Tuple2<Connection, StoredTokens>> current(UUID connectionId) {
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
                  .map(stored -> Tuples.of(connection, stored));
            });
  }

  /**
   * The stored token when it can be handed out: fresh, and not the one the caller reported as
   * rejected. Empty when it needs a refresh.
   */
  private Mono<AccessToken> usable(StoredTokens stored, String rejected) {
    if (!stored.accessExpiresAt().isAfter(clock.instant().plus(properties.refreshAhead()))) {
      return Mono.empty();
    }
    return tokens
        .openAccess(stored)
        .filter(current -> rejected == null || !sameToken(current, rejected))
        .map(value -> new AccessToken(value, stored.accessExpiresAt()));
  }

  /** Constant-time comparison, so the answer time tells nothing about the stored token. */
  private static boolean sameToken(String stored, String rejected) {
    return MessageDigest.isEqual(
        stored.getBytes(StandardCharsets.UTF_8), rejected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Claims the refresh and, with the row as the claim found it, hands out its token if it serves
   * now or refreshes it at Google. Empty when someone else holds the claim, or ours was lost before
   * the answer was stored: the caller waits and looks again. The claim is released however this
   * ends (error and cancellation included); releasing a claim already given up is a no-op.
   */
  private Mono<AccessToken> claimAndRefresh(Connection connection, String rejected) {
    UUID claim = UUID.randomUUID();
    return Mono.usingWhen(
        tokens.claimRefresh(connection.id(), claim, properties.refreshTimeout()),
        claimed ->
            usable(claimed, rejected)
                .switchIfEmpty(Mono.defer(() -> refreshAtGoogle(connection, claimed, claim))),
        claimed -> tokens.releaseClaim(connection.id(), claim),
        (claimed, e) -> tokens.releaseClaim(connection.id(), claim),
        claimed -> tokens.releaseClaim(connection.id(), claim));
  }

  /** Runs while holding {@code claim}, outside any transaction. */
  private Mono<AccessToken> refreshAtGoogle(
      Connection connection, StoredTokens stored, UUID claim) {
    if (stored.refresh() == null) {
      return markReauthRequired(connection, claim, "no_refresh_token");
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
                  .storeRefreshed(
                      connection.id(),
                      claim,
                      response.accessToken(),
                      expiresAt,
                      response.refreshToken())
                  .flatMap(
                      stored2 -> {
                        if (!stored2) {
                          log.info(
                              "The refresh of connection {} lost its claim; its answer is dropped",
                              connection.id());
                          return Mono.empty();
                        }
                        refreshCounter("refreshed").increment();
                        log.info("Refreshed the access token of connection {}", connection.id());
                        return Mono.just(new AccessToken(response.accessToken(), expiresAt));
                      });
            })
        .onErrorResume(
            e -> e instanceof GoogleOAuthException g && g.isInvalidGrant(),
            e -> markReauthRequired(connection, claim, "invalid_grant"))
        .doOnError(e -> refreshCounter("failed").increment());
  }

  /**
   * In one short transaction, under the connection's row lock (so outbox ids follow commit order):
   * while our claim still holds, the connection becomes {@code reauth_required} and {@code
   * connection.reauth_required} is written; then the caller gets a 409. Empty when the claim was
   * lost meanwhile (a reconnect stored new tokens): the caller looks again.
   */
  private Mono<AccessToken> markReauthRequired(Connection connection, UUID claim, String reason) {
    Instant now = clock.instant();
    Mono<Boolean> marked =
        connections
            .lock(connection.id())
            .filter(locked -> locked.status() == ConnectionStatus.ACTIVE)
            .flatMap(locked -> tokens.releaseClaim(connection.id(), claim))
            .filter(Boolean::booleanValue)
            .flatMap(
                ours ->
                    connections
                        .updateStatus(
                            connection.id(), ConnectionStatus.REAUTH_REQUIRED, reason, now)
                        .then(
                            outbox.append(
                                new ConnectionReauthRequired(
                                    connection.id(),
                                    connection.userId(),
                                    now.atOffset(ZoneOffset.UTC),
                                    reason)))
                        .thenReturn(true));
    return transactions
        .transactional(marked)
        .flatMap(
            ours -> {
              log.warn("Connection {} needs to be connected again ({})", connection.id(), reason);
              refreshCounter("reauth_required").increment();
              return Mono.error(reauthRequired(connection.id()));
            });
  }

  /** The pause before the next look at a refresh someone else holds: 25 ms doubling to 500 ms. */
  private static Duration pause(int round) {
    return round >= 5 ? LONGEST_POLL : FIRST_POLL.multipliedBy(1L << round);
  }

  private static ProblemException notFound(UUID connectionId) {
    return ProblemException.notFound("Connection " + connectionId + " was not found.");
  }

  private static ProblemException reauthRequired(UUID connectionId) {
    return ProblemException.reauthRequired(
        "Connection " + connectionId + " needs to be connected again.");
  }
}
