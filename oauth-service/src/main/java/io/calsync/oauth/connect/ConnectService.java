package io.calsync.oauth.connect;

import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.oauth.connect.CallbackResult.Connected;
import io.calsync.oauth.connect.CallbackResult.Failed;
import io.calsync.oauth.connect.CallbackResult.Reason;
import io.calsync.oauth.connect.OAuthStateRepository.PendingStates;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.google.GoogleOAuthClient;
import io.calsync.oauth.google.GoogleOAuthException;
import io.calsync.oauth.google.GoogleTokenResponse;
import io.calsync.oauth.google.GoogleUnavailableException;
import io.calsync.oauth.google.GoogleUserInfo;
import io.calsync.oauth.outbox.OutboxWriter;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.calsync.oauth.persistence.TokenCustody;
import io.calsync.oauth.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The OAuth2 web-server flow with Google: a single-use state bound to the user with a PKCE S256
 * verifier, then the callback that consumes it, exchanges the code, checks the granted scopes,
 * reads the account's identity and stores the connection, its encrypted tokens and the {@code
 * connection.connected} message in one transaction.
 */
@Service
class ConnectService {

  private static final Logger log = LoggerFactory.getLogger(ConnectService.class);

  /** Either is enough to read calendars and events. */
  static final Set<String> CALENDAR_SCOPES =
      Set.of(
          "https://www.googleapis.com/auth/calendar.readonly",
          "https://www.googleapis.com/auth/calendar");

  /** Expired states are kept this long after expiry (for diagnosis), then deleted. */
  private static final Duration STATE_RETENTION = Duration.ofHours(1);

  private final OAuthStateRepository states;
  private final ConnectionRepository connections;
  private final TokenCustody tokens;
  private final OutboxWriter outbox;
  private final GoogleOAuthClient google;
  private final TransactionalOperator transactions;
  private final ConnectProperties connectProperties;
  private final Clock clock;
  private final MeterRegistry meters;

  ConnectService(
      OAuthStateRepository states,
      ConnectionRepository connections,
      TokenCustody tokens,
      OutboxWriter outbox,
      GoogleOAuthClient google,
      TransactionalOperator transactions,
      ConnectProperties connectProperties,
      Clock clock,
      MeterRegistry meters) {
    this.states = states;
    this.connections = connections;
    this.tokens = tokens;
    this.outbox = outbox;
    this.google = google;
    this.transactions = transactions;
    this.connectProperties = connectProperties;
    this.clock = clock;
    this.meters = meters;
    callbackCounter("connected");
    for (Reason reason : Reason.values()) {
      callbackCounter(reason.wire());
    }
  }

  private Counter callbackCounter(String result) {
    return Counter.builder("calsync.oauth.callbacks")
        .description("OAuth callbacks by result: connected, or the error reason")
        .tag("result", result)
        .register(meters);
  }

  /**
   * Stores a new state for the user and answers Google's authorization URL for it, with the random
   * browser binding that the caller hands to the browser (as a cookie) and that the callback must
   * present again (RFC 9700 §4.7: the callback belongs to the browser that started the flow). Only
   * hashes of the state and of the binding are stored. A user with {@code maxPendingStates} flows
   * pending (unused, unexpired) gets a 429 {@code limit_exceeded} instead; their count and the
   * insert are serialized per user by an advisory lock, so concurrent calls cannot exceed it.
   *
   * @param returnTo an already validated web-client path, or null
   */
  Mono<Authorization> authorize(String userId, String returnTo) {
    Instant now = clock.instant();
    String state = Pkce.randomToken();
    String verifier = Pkce.randomToken();
    String binding = Pkce.randomToken();
    OAuthState stored =
        new OAuthState(
            Pkce.hashState(state),
            Pkce.hashState(binding),
            userId,
            verifier,
            returnTo,
            now,
            now.plus(connectProperties.stateTtl()));
    Mono<Void> counted =
        states
            .lockUser(userId)
            .then(states.pending(userId, now))
            .flatMap(
                pending ->
                    pending.count() >= connectProperties.maxPendingStates()
                        ? Mono.error(tooMany(userId, pending, now))
                        : states.insert(stored));
    return states
        .deleteExpiredBefore(now.minus(STATE_RETENTION))
        .then(transactions.transactional(counted))
        .thenReturn(
            new Authorization(google.authorizationUrl(state, Pkce.challenge(verifier)), binding));
  }

  private static ProblemException tooMany(String userId, PendingStates pending, Instant now) {
    log.info("Refused a connect flow for user {}: {} flows pending", userId, pending.count());
    return ProblemException.limitExceeded(
        "You have "
            + pending.count()
            + " unfinished Google connections in progress; finish one or try again later.",
        Duration.between(now, pending.firstExpiry()));
  }

  /**
   * Google's authorization URL, and the secret that binds the flow to the browser that asked for
   * it.
   */
  record Authorization(URI url, String browserBinding) {

    @Override
    public String toString() {
      return "Authorization[<redacted>]";
    }
  }

  /**
   * Completes the flow. Never fails for anything the browser sent: every problem becomes a {@link
   * Failed} result. Only an unavailable database (or token cipher) surfaces as an error.
   *
   * <p>A state presented without the browser binding it was issued with is spent and refused: it
   * came through another browser (a link sent to a victim, RFC 9700 §4.7), and nothing of it is
   * used, so the victim's Google account never lands under the user who started the flow.
   *
   * @param browserBinding the binding cookie the browser sent, or null
   */
  Mono<CallbackResult> complete(
      String code, String state, String browserBinding, String error, String callbackScope) {
    Mono<CallbackResult> result =
        state == null || state.isBlank()
            ? Mono.just(new Failed(Reason.INVALID_STATE, null))
            : states
                .consume(Pkce.hashState(state), clock.instant())
                .flatMap(
                    stored ->
                        stored.isBoundTo(
                                browserBinding == null ? null : Pkce.hashState(browserBinding))
                            ? completeWithState(stored, code, error, callbackScope)
                            : refuseOtherBrowser(stored))
                .switchIfEmpty(Mono.fromSupplier(() -> new Failed(Reason.INVALID_STATE, null)));
    return result.doOnNext(
        outcome ->
            callbackCounter(outcome instanceof Failed failed ? failed.reason().wire() : "connected")
                .increment());
  }

  private Mono<CallbackResult> refuseOtherBrowser(OAuthState stored) {
    log.warn(
        "OAuth callback for user {} arrived without the browser binding of its flow; refused",
        stored.userId());
    return Mono.just(new Failed(Reason.INVALID_STATE, stored.returnTo()));
  }

  private Mono<CallbackResult> completeWithState(
      OAuthState stored, String code, String error, String callbackScope) {
    if (error != null && !error.isBlank()) {
      Reason reason = "access_denied".equals(error) ? Reason.ACCESS_DENIED : Reason.EXCHANGE_FAILED;
      log.info("Google authorization ended with error '{}' for user {}", error, stored.userId());
      return Mono.just(new Failed(reason, stored.returnTo()));
    }
    if (code == null || code.isBlank()) {
      return Mono.just(new Failed(Reason.INVALID_STATE, stored.returnTo()));
    }
    return google
        .exchangeCode(code, stored.codeVerifier())
        .flatMap(
            response -> {
              List<String> granted = grantedScopes(response, callbackScope);
              if (granted.stream().noneMatch(CALENDAR_SCOPES::contains)) {
                // The user unticked calendar access. Tokens are not stored; the grant is not
                // revoked,
                // because revocation would also end an existing connection to the same account.
                log.info(
                    "User {} did not grant calendar access (granted {})", stored.userId(), granted);
                return Mono.<CallbackResult>just(
                    new Failed(Reason.INSUFFICIENT_SCOPE, stored.returnTo()));
              }
              return google
                  .userInfo(response.accessToken())
                  .flatMap(user -> store(stored, user, response, granted))
                  .map(id -> (CallbackResult) new Connected(id, stored.returnTo()));
            })
        .onErrorResume(
            e -> e instanceof GoogleOAuthException || e instanceof GoogleUnavailableException,
            e -> {
              log.warn(
                  "Google code exchange failed for user {}: {}", stored.userId(), e.getMessage());
              return Mono.just(new Failed(Reason.EXCHANGE_FAILED, stored.returnTo()));
            });
  }

  private static List<String> grantedScopes(GoogleTokenResponse response, String callbackScope) {
    List<String> fromToken = response.grantedScopes();
    if (!fromToken.isEmpty() || callbackScope == null || callbackScope.isBlank()) {
      return fromToken;
    }
    return Arrays.stream(callbackScope.trim().split("\\s+")).toList();
  }

  private Mono<UUID> store(
      OAuthState state, GoogleUserInfo user, GoogleTokenResponse response, List<String> granted) {
    if (user.sub() == null || user.sub().isBlank()) {
      return Mono.error(new GoogleUnavailableException("Google userinfo has no sub"));
    }
    Instant now = clock.instant();
    Instant accessExpiresAt =
        now.plusSeconds(response.expiresIn() == null ? 3600 : response.expiresIn());
    String email = user.email() == null ? "" : user.email();
    Mono<UUID> work =
        connections
            .upsertActive(UUID.randomUUID(), state.userId(), user.sub(), email, granted, now)
            .flatMap(
                connection ->
                    tokens
                        .store(
                            connection.id(),
                            response.accessToken(),
                            accessExpiresAt,
                            response.refreshToken())
                        .then(outbox.append(connected(connection, now)))
                        .thenReturn(connection.id()));
    return transactions
        .transactional(work)
        .doOnNext(
            id ->
                log.info("User {} connected Google account as connection {}", state.userId(), id));
  }

  private static ConnectionConnected connected(Connection connection, Instant now) {
    return new ConnectionConnected(
        connection.id(),
        connection.userId(),
        now.atOffset(ZoneOffset.UTC),
        connection.provider(),
        connection.accountEmail(),
        connection.scopes());
  }
}
