package io.calsync.sync.usecase;

import io.calsync.sync.engine.CalendarAnnouncements;
import io.calsync.sync.engine.WatchChannels;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.trigger.SyncCoordinator;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The caller's calendars, their selection and colour. A new colour is announced as {@code
 * calendar.upserted} (the read model shows it with the calendar's events). Deselecting announces
 * {@code calendar.upserted} with {@code selected=false} (the read model drops the calendar's
 * events) and forgets the sync token; selecting announces it and requests a sync, which is then a
 * full sync of the calendar.
 */
@Service
public class CalendarService {

  private final CalendarRepository calendars;
  private final ConnectionRepository connections;
  private final CalendarAnnouncements announcements;
  private final SyncCoordinator coordinator;
  private final WatchChannels watchChannels;
  private final Clock clock;

  CalendarService(
      CalendarRepository calendars,
      ConnectionRepository connections,
      CalendarAnnouncements announcements,
      SyncCoordinator coordinator,
      WatchChannels watchChannels,
      Clock clock) {
    this.calendars = calendars;
    this.connections = connections;
    this.announcements = announcements;
    this.coordinator = coordinator;
    this.watchChannels = watchChannels;
    this.clock = clock;
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
                                .setSelected(calendarId, selected, clock.instant())
                                .flatMap(
                                    updated ->
                                        announcements
                                            .announce(conn, updated)
                                            .then(
                                                selected && !current.selected()
                                                    ? coordinator
                                                        .request(conn.id(), SyncTrigger.SELECTION)
                                                        .then()
                                                    : selected
                                                        ? Mono.empty()
                                                        : watchChannels.stopAll(updated))
                                            .thenReturn(updated))));
  }

  /** Empty when the calendar does not exist or is not the user's. */
  public Mono<SyncedCalendar> recolor(String userId, UUID calendarId, String color) {
    return calendars
        .findVisibleForUser(calendarId, userId)
        .flatMap(
            current ->
                connections
                    .find(current.connectionId())
                    .flatMap(
                        conn ->
                            calendars
                                .setUserColor(calendarId, color, clock.instant())
                                .flatMap(
                                    updated ->
                                        announcements
                                            .announce(conn, updated)
                                            .thenReturn(updated))));
  }
}
