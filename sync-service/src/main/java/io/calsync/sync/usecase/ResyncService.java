package io.calsync.sync.usecase;

import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.trigger.SyncCoordinator;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * An operator's full resync (actuator endpoint {@code resync}, module README "Operator endpoints"):
 * the sync tokens of a connection's calendars, or of one calendar, are dropped, as after Google's
 * 410, and a run is owed through {@link SyncCoordinator} like any other trigger (the lease keeps it
 * the connection's only run). Each calendar's next sync is then a full sync with a new generation:
 * {@code snapshot_started} … {@code snapshot_completed} on {@code calendar.event-changes.v1}.
 */
@Service
public class ResyncService {

  /**
   * What was scheduled: the connection, the calendar (null for all of them), how many calendars
   * will be synced in full, and the connection's sync state ({@code queued}, {@code syncing} when a
   * run under way will be followed by this one, or {@code reauth_required}: no run until the user
   * reconnects, whose first run is then a full sync).
   */
  public record Scheduled(UUID connectionId, UUID calendarId, long calendars, String state) {}

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final SyncStateRepository states;
  private final SyncCoordinator coordinator;

  ResyncService(
      ConnectionRepository connections,
      CalendarRepository calendars,
      SyncStateRepository states,
      SyncCoordinator coordinator) {
    this.connections = connections;
    this.calendars = calendars;
    this.states = states;
    this.coordinator = coordinator;
  }

  /** Every calendar of the connection; empty when the connection is unknown. */
  public Mono<Scheduled> connection(UUID connectionId) {
    return connections
        .find(connectionId)
        .flatMap(
            conn ->
                states
                    .requestFullResync(connectionId)
                    .flatMap(
                        count ->
                            coordinator
                                .request(connectionId, SyncTrigger.OPERATOR)
                                .map(ConnectionSyncState::state)
                                .defaultIfEmpty(ConnectionSyncState.REAUTH_REQUIRED)
                                .map(state -> new Scheduled(connectionId, null, count, state))));
  }

  /**
   * One calendar (the platform's id); the run syncs that calendar only. Empty when the calendar is
   * unknown.
   */
  public Mono<Scheduled> calendar(UUID calendarId) {
    return calendars
        .find(calendarId)
        .flatMap(
            cal ->
                states
                    .requestFullResyncOfCalendar(calendarId)
                    .flatMap(
                        count ->
                            coordinator
                                .requestCalendar(
                                    cal.connectionId(), calendarId, SyncTrigger.OPERATOR)
                                .map(ConnectionSyncState::state)
                                .defaultIfEmpty(ConnectionSyncState.REAUTH_REQUIRED)
                                .map(
                                    state ->
                                        new Scheduled(
                                            cal.connectionId(), calendarId, count, state))));
  }
}
