package io.calsync.sync.usecase;

import io.calsync.contract.http.SyncStatusResponse;
import io.calsync.contract.http.SyncStatusResponse.CalendarSync;
import io.calsync.contract.http.SyncStatusResponse.ConnectionSync;
import io.calsync.contract.http.SyncStatusResponse.SyncError;
import io.calsync.sync.model.CalendarSyncState;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import java.util.Map;
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

  SyncStatusService(
      ConnectionRepository connections, CalendarRepository calendars, SyncStateRepository states) {
    this.connections = connections;
    this.calendars = calendars;
    this.states = states;
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
    return Mono.zip(
            state,
            calendarStates,
            calendars.findByConnection(conn.id()).filter(c -> !c.removed()).collectList())
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
                      .map(c -> calendar(c, t.getT2().get(c.id())))
                      .collect(Collectors.toList()));
            });
  }

  private static CalendarSync calendar(SyncedCalendar c, CalendarSyncState s) {
    String state = !c.selected() ? "deselected" : s == null ? ConnectionSyncState.IDLE : s.state();
    return new CalendarSync(
        c.id(),
        c.name(),
        state,
        s == null ? null : s.lastSuccessAt(),
        s == null ? 0 : s.eventCount());
  }
}
