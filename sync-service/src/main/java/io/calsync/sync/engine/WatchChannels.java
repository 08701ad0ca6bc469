package io.calsync.sync.engine;

import io.calsync.contract.http.ApiPaths;
import io.calsync.sync.google.GoogleCalendarClient;
import io.calsync.sync.google.GoogleCallException;
import io.calsync.sync.google.GoogleCallException.Kind;
import io.calsync.sync.model.CalendarSyncState;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.model.WatchChannel;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.persistence.WatchChannelRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Push channels, only when a public webhook base URL is configured. After each successful sync of a
 * calendar its channel is checked: none, or one expiring within {@code channel-renew-before}, gets
 * a NEW channel (new id, new secret token) first, and only then are the older ones stopped at
 * Google (Google cannot renew a channel). Channel failures never fail a sync: the backstop covers.
 *
 * <p>A calendar's first channel is opened after its sync has read Google, so a change made in
 * between would be announced to nobody: opening it owes the calendar a run as a push would, and the
 * run that follows at once (an incremental sync of that calendar, cheap when nothing changed) picks
 * such a change up. A renewal leaves no gap, since the old channel is stopped only after the new
 * one exists.
 *
 * <p>Google refuses {@code events.watch} on many calendars an account only reads (holidays, a
 * colleague's): such a refusal is remembered, and watch is not asked again before {@code
 * rewatch-after}; the backstop syncs these calendars every {@code unwatched-interval} instead.
 */
@Service
public class WatchChannels {

  private static final Logger log = LoggerFactory.getLogger(WatchChannels.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WatchChannelRepository channels;
  private final SyncStateRepository states;
  private final GoogleCalendarClient google;
  private final SyncProperties props;
  private final Clock clock;

  WatchChannels(
      WatchChannelRepository channels,
      SyncStateRepository states,
      GoogleCalendarClient google,
      SyncProperties props,
      Clock clock) {
    this.channels = channels;
    this.states = states;
    this.google = google;
    this.props = props;
    this.clock = clock;
  }

  public Mono<Void> ensure(SyncedCalendar cal) {
    if (!props.pushEnabled()) {
      return Mono.empty();
    }
    Instant now = clock.instant();
    return states
        .calendarState(cal.id())
        .filter(st -> mayWatch(st, now))
        .flatMap(st -> ensureChannel(cal, now))
        .onErrorResume(e -> refused(cal, now, e));
  }

  /**
   * Not while Google's refusal of {@code events.watch} is younger than {@code rewatch-after}: the
   * backstop syncs the calendar meanwhile (module README, decision "Calendars without push").
   */
  private boolean mayWatch(CalendarSyncState st, Instant now) {
    return st.pushRefusedAt() == null
        || !now.isBefore(st.pushRefusedAt().toInstant().plus(props.rewatchAfter()));
  }

  private Mono<Void> ensureChannel(SyncedCalendar cal, Instant now) {
    return channels
        .activeForCalendar(cal.id())
        .collectList()
        .flatMap(
            existing ->
                existing.stream()
                        .anyMatch(
                            c ->
                                c.expiresAt()
                                    .toInstant()
                                    .isAfter(now.plus(props.channelRenewBefore())))
                    ? Mono.<Void>empty()
                    : create(cal, now)
                        .then(
                            existing.isEmpty()
                                ? states
                                    .clearPushRefused(cal.id())
                                    .then(states.markCalendarPushed(cal.id()))
                                    .then(states.markPushPending(cal.connectionId()))
                                    .then()
                                : stop(cal.connectionId(), existing)));
  }

  /**
   * A permanent refusal ({@code pushNotSupportedForRequestedResource} and other 4xx) is remembered:
   * the calendar is synced by the backstop every {@code unwatched-interval} and its status says
   * {@code push: unsupported}; the calendar's sync itself stays healthy. Anything else (Google
   * unavailable, the database) is left to the next run.
   */
  private Mono<Void> refused(SyncedCalendar cal, Instant now, Throwable e) {
    if (e instanceof GoogleCallException g && g.kind() == Kind.PERMANENT) {
      log.info(
          "Google refuses push for calendar {} ({}): the backstop syncs it every {}",
          cal.id(),
          g.getMessage(),
          props.unwatchedInterval());
      return states.markPushRefused(cal.id(), now).onErrorResume(x -> Mono.empty());
    }
    log.warn("watch channel for calendar {} not set up: {}", cal.id(), e.getMessage());
    return Mono.empty();
  }

  /** Stops every channel of the calendar (deselected or removed); best effort. */
  public Mono<Void> stopAll(SyncedCalendar cal) {
    return channels
        .activeForCalendar(cal.id())
        .collectList()
        .flatMap(list -> stop(cal.connectionId(), list))
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * Stops every active channel of a connection that is being forgotten ({@code
   * connection.disconnected}); best effort: the grant may already be revoked, and a channel that
   * cannot be stopped expires at Google on its own while its notifications find no channel here.
   */
  public Mono<Void> stopAllOf(UUID connectionId) {
    return channels
        .activeForConnection(connectionId)
        .collectList()
        .flatMap(list -> stop(connectionId, list))
        .onErrorResume(e -> Mono.empty());
  }

  private Mono<Void> create(SyncedCalendar cal, Instant now) {
    String id = UUID.randomUUID().toString();
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String address = trimSlash(props.publicWebhookBaseUrl()) + ApiPaths.GOOGLE_NOTIFICATIONS;
    return google
        .watch(cal.connectionId(), cal.providerCalendarId(), id, address, token, props.channelTtl())
        .flatMap(
            w ->
                channels.insert(
                    new WatchChannel(
                        id,
                        cal.id(),
                        cal.connectionId(),
                        w.resourceId(),
                        token,
                        (w.expiresAt() != null ? w.expiresAt() : now.plus(props.channelTtl()))
                            .atOffset(ZoneOffset.UTC)),
                    now));
  }

  private Mono<Void> stop(UUID connectionId, List<WatchChannel> old) {
    return Flux.fromIterable(old)
        .concatMap(
            c ->
                channels
                    .deactivate(c.id())
                    .then(google.stopChannel(connectionId, c.id(), c.resourceId()))
                    .onErrorResume(e -> Mono.empty()))
        .then();
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
