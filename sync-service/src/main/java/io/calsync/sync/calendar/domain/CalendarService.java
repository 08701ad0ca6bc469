package io.calsync.sync.calendar.domain;

import io.calsync.sync.calendar.persistence.CalendarRepository;
import io.calsync.sync.connection.persistence.ConnectionRepository;
import io.calsync.sync.engine.domain.SyncEngine;
import io.calsync.sync.engine.domain.WatchChannels;
import io.calsync.sync.trigger.domain.SyncCoordinator;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The caller's calendars and their selection. Deselecting announces {@code calendar.upserted} with
 * {@code selected=false} (the read model drops the calendar's events) and forgets the sync token;
 * selecting announces it and requests a sync, which is then a full sync of the calendar.
 */
@Service
public class CalendarService {

  private final CalendarRepository calendars;
  private final ConnectionRepository connections;
  private final SyncEngine engine;
  private final SyncCoordinator coordinator;
  private final WatchChannels watchChannels;

  CalendarService(
      CalendarRepository calendars,
      ConnectionRepository connections,
      SyncEngine engine,
      SyncCoordinator coordinator,
      WatchChannels watchChannels) {
    this.watchChannels = watchChannels;
    this.calendars = calendars;
    this.connections = connections;
    this.engine = engine;
    this.coordinator = coordinator;
  }

  public Flux<SyncedCalendar> calendarsOf(String userId) {
    return calendars.findVisibleForUser(userId);
  }

  /** Empty when the calendar does not exist or is not the user's. */
  public Mono<SyncedCalendar> select(String userId, UUID calendarId, boolean selected) {
    return calendars
        .findVisibleForUser(calendarId, userId)
        .flatMap(
            current ->
                connections
                    .find(current.connectionId())
                    .flatMap(
                        conn ->
                            calendars
                                .setSelected(calendarId, selected)
                                .flatMap(
                                    updated ->
                                        engine
                                            .announce(conn, updated)
                                            .then(
                                                selected && !current.selected()
                                                    ? coordinator.request(conn.id()).then()
                                                    : selected ? Mono.empty() : watchChannels.stopAll(updated))
                                            .thenReturn(updated))));
  }
}
