package io.calsync.sync.engine;

import io.calsync.sync.google.GoogleCalendarClient;
import io.calsync.sync.model.CalendarAttributes;
import io.calsync.sync.model.Connection;
import io.calsync.sync.persistence.CalendarRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The calendar list of a connection (sync rule 3 of the module README): {@code calendarList.list}
 * over every page, each calendar upserted locally (the platform's id is assigned on first sight)
 * and announced when new or changed; calendars Google no longer lists are removed and announced.
 * Every announcement checks the run's lease first.
 */
@Component
class CalendarListSync {

  private final CalendarRepository calendars;
  private final GoogleCalendarClient google;
  private final CalendarAnnouncements announcements;
  private final SyncProperties props;
  private final Clock clock;

  CalendarListSync(
      CalendarRepository calendars,
      GoogleCalendarClient google,
      CalendarAnnouncements announcements,
      SyncProperties props,
      Clock clock) {
    this.calendars = calendars;
    this.google = google;
    this.announcements = announcements;
    this.props = props;
    this.clock = clock;
  }

  Mono<Void> sync(Connection conn, Lease lease) {
    return listAll(conn.id(), null, new ArrayList<>())
        .flatMap(
            listed ->
                calendars
                    .findByConnection(conn.id())
                    .collectList()
                    .flatMap(
                        existing -> {
                          Set<String> ids = new HashSet<>();
                          listed.forEach(a -> ids.add(a.providerCalendarId()));
                          return Flux.fromIterable(listed)
                              .concatMap(a -> calendars.upsert(conn.id(), a, clock.instant()))
                              .concatMap(cal -> announcements.announce(conn, cal, lease))
                              .thenMany(Flux.fromIterable(existing))
                              .filter(c -> !ids.contains(c.providerCalendarId()))
                              .filter(c -> !c.removed() || c.needsAnnouncement())
                              .concatMap(c -> announcements.remove(conn, c, lease))
                              .then();
                        }));
  }

  private Mono<List<CalendarAttributes>> listAll(
      UUID connectionId, String pageToken, List<CalendarAttributes> acc) {
    return google
        .listCalendars(connectionId, props.calendarListPageSize(), pageToken)
        .flatMap(
            page -> {
              acc.addAll(page.items());
              return page.nextPageToken() == null
                  ? Mono.just(acc)
                  : listAll(connectionId, page.nextPageToken(), acc);
            });
  }
}
