package io.calsync.sync.usecase;

import io.calsync.contract.http.SyncStatusResponse;
import io.calsync.contract.http.SyncStatusResponse.CalendarSync;
import io.calsync.contract.http.SyncStatusResponse.ConnectionSync;
import io.calsync.contract.http.SyncStatusResponse.SyncError;
import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.model.CalendarSyncState;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.model.WatchChannel;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.persistence.WatchChannelRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Sync status of the caller's connections and their visible calendars. */
@Service
public class SyncStatusService {

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final SyncStateRepository states;
  private final WatchChannelRepository channels;
  private final SyncProperties props;
  private final Clock clock;

  SyncStatusService(
      ConnectionRepository connections,
      CalendarRepository calendars,
      SyncStateRepository states,
      WatchChannelRepository channels,
      SyncProperties props,
      Clock clock) {
    this.connections = connections;
    this.calendars = calendars;
    this.states = states;
    this.channels = channels;
    this.props = props;
    this.clock = clock;
  }

  public Mono<SyncStatusResponse> statusOf(String userId) {
    return connections
        .findByUser(userId)
        .concatMap(this::status)
        .collectList()
        .map(SyncStatusResponse::new);
  }

  private Mono<ConnectionSync> status(Connection conn) {
    Mono<ConnectionSyncState> state =
        states
            .connectionState(conn.id())
            .defaultIfEmpty(
                new ConnectionSyncState(
                    conn.id(),
                    ConnectionSyncState.IDLE,
                    false,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
    Mono<Map<UUID, CalendarSyncState>> calendarStates =
        states
            .calendarStates(conn.id())
            .collectMap(CalendarSyncState::calendarId, Function.identity());
    Instant now = clock.instant();
    Mono<Set<UUID>> watched =
        channels
            .activeForConnection(conn.id())
            .filter(c -> c.expiresAt().toInstant().isAfter(now))
            .map(WatchChannel::calendarId)
            .collect(Collectors.toSet());
    return Mono.zip(
            state,
            calendarStates,
            calendars.findByConnection(conn.id()).filter(c -> !c.removed()).collectList(),
            watched)
        .map(
            t -> {
              ConnectionSyncState s = t.getT1();
              String shown = conn.active() ? s.state() : ConnectionSyncState.REAUTH_REQUIRED;
              SyncError error =
                  s.lastErrorCode() == null
                      ? null
                      : new SyncError(s.lastErrorCode(), s.lastErrorMessage());
              return new ConnectionSync(
                  conn.id(),
                  shown,
                  s.lastAttemptAt(),
                  s.lastSuccessAt(),
                  s.nextSyncAt(),
                  error,
                  t.getT3().stream()
                      .map(c -> calendar(c, t.getT2().get(c.id()), t.getT4()))
                      .collect(Collectors.toList()));
            });
  }

  private CalendarSync calendar(SyncedCalendar c, CalendarSyncState s, Set<UUID> watched) {
    String state = !c.selected() ? "deselected" : s == null ? ConnectionSyncState.IDLE : s.state();
    return new CalendarSync(
        c.id(),
        c.name(),
        state,
        s == null ? null : s.lastSuccessAt(),
        s == null ? 0 : s.eventCount(),
        push(c, s, watched));
  }

  /** How the calendar's changes reach the platform (the status's {@code push}). */
  private String push(SyncedCalendar c, CalendarSyncState s, Set<UUID> watched) {
    if (!props.pushEnabled() || !c.selected()) {
      return CalendarSync.PUSH_OFF;
    }
    if (watched.contains(c.id())) {
      return CalendarSync.PUSH_ACTIVE;
    }
    return s != null && s.pushRefusedAt() != null
        ? CalendarSync.PUSH_UNSUPPORTED
        : CalendarSync.PUSH_PENDING;
  }
}
