package io.calsync.query.stream;

import io.calsync.contract.http.ApiPaths;
import io.calsync.query.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/calendar/events/stream/}: the caller's read-model changes as server-sent events.
 * Each applied change is one event whose {@code event:} is the change type ({@code event.upserted},
 * {@code event.deleted}, {@code calendar.upserted}, {@code calendar.removed}, {@code
 * calendar.snapshot_completed}, {@code connection.connected}, {@code connection.reauth_required},
 * {@code connection.disconnected}) and whose data is {@link Notice} JSON; a comment {@code
 * :heartbeat} keeps idle connections open (every 15 s by default); a comment {@code :connected}
 * opens the stream.
 *
 * <p>The stream completes when the token that opened it expires (its {@code exp}, against the
 * injected {@link Clock}): a stream never outlives the credential that authorized it; the client
 * reconnects with a fresh token. A user may have {@code calsync.query.stream.max-open-per-user}
 * streams open at once on this instance; the slot is taken when the response is subscribed and
 * given back however it ends, and one more stream is a 429 {@code limit_exceeded} with {@code
 * Retry-After} ({@code calsync.query.stream.retry-after}). The changes are every instance's (see
 * {@link NotificationListener}); a stream also completes when this instance may have missed some.
 */
@RestController
class EventStreamController {

  private static final int BUFFER = 256;

  private final ReadModelChanges changes;
  private final OpenStreams openStreams;
  private final StreamProperties properties;
  private final Clock clock;

  EventStreamController(
      ReadModelChanges changes, OpenStreams openStreams, StreamProperties properties, Clock clock) {
    this.changes = changes;
    this.openStreams = openStreams;
    this.properties = properties;
    this.clock = clock;
  }

  @GetMapping(
      path = {ApiPaths.EVENT_STREAM, "/api/calendar/events/stream"},
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<Notice>> stream(@AuthenticationPrincipal Jwt jwt) {
    return Flux.using(
            () -> openStreams.open(jwt.getSubject(), properties.maxOpenPerUser()),
            slot -> untilExpiry(events(jwt.getSubject()), jwt.getExpiresAt()),
            OpenStreams.Slot::close)
        .onErrorMap(
            TooManyStreamsException.class,
            e -> ProblemException.limitExceeded(e.getMessage(), properties.retryAfter()));
  }

  private Flux<ServerSentEvent<Notice>> untilExpiry(
      Flux<ServerSentEvent<Notice>> events, Instant expiresAt) {
    if (expiresAt == null) {
      return events;
    }
    Duration left = Duration.between(clock.instant(), expiresAt);
    return left.isNegative() || left.isZero() ? Flux.empty() : events.take(left);
  }

  private Flux<ServerSentEvent<Notice>> events(String userId) {
    Flux<ServerSentEvent<Notice>> updates =
        changes
            .of(userId)
            .onBackpressureBuffer(BUFFER, BufferOverflowStrategy.DROP_OLDEST)
            .map(EventStreamController::event);
    Flux<ServerSentEvent<Notice>> heartbeats =
        Flux.interval(properties.heartbeat())
            .map(tick -> ServerSentEvent.<Notice>builder().comment("heartbeat").build());
    // The opening comment commits the response at once, so clients and proxies know the stream is
    // live before the first change or heartbeat. The stream ends when this instance may have missed
    // changes (its notification listener lost its connection, or listens anew): the client
    // reconnects and re-reads the list.
    return Flux.merge(updates, heartbeats)
        .startWith(ServerSentEvent.<Notice>builder().comment("connected").build())
        .takeUntilOther(changes.nextInterruption());
  }

  static ServerSentEvent<Notice> event(ReadModelChange change) {
    return ServerSentEvent.builder(
            new Notice(
                change.type(),
                change.connectionId(),
                change.calendarId(),
                change.eventId(),
                change.occurredAt()))
        .event(change.type())
        .build();
  }

  /** The data of a change event: what changed; the client re-reads the upcoming list. */
  record Notice(
      String type, UUID connectionId, UUID calendarId, String eventId, OffsetDateTime occurredAt) {}
}
