package io.calsync.sync.engine;

import io.calsync.sync.model.Connection;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * One sync run of one connection (sync rules 3–8 of the module README); the caller holds the
 * connection's {@link Lease}, checked before every publish. Order of work: the calendar list
 * ({@link CalendarListSync}), then each selected calendar in turn ({@link EventSync}). Everything
 * is sequential ({@code concatMap}), so the messages of a connection leave in order.
 */
@Service
public class SyncRun {

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final CalendarListSync calendarList;
  private final EventSync events;
  private final Failures failures;

  SyncRun(
      ConnectionRepository connections,
      CalendarRepository calendars,
      CalendarListSync calendarList,
      EventSync events,
      Failures failures) {
    this.connections = connections;
    this.calendars = calendars;
    this.calendarList = calendarList;
    this.events = events;
    this.failures = failures;
  }

  /** Runs one sync of the connection; never fails: the outcome is in the {@link RunResult}. */
  public Mono<RunResult> syncConnection(UUID connectionId, Lease lease) {
    return connections
        .find(connectionId)
        .flatMap(
            conn ->
                conn.active()
                    ? run(conn, lease)
                    : Mono.just(
                        RunResult.reauthRequired("The Google grant is gone; connect again.")))
        .defaultIfEmpty(RunResult.error("connection_unknown", "The connection is not known (yet)."))
        .onErrorResume(e -> Mono.just(failures.classify(connectionId, e)));
  }

  private Mono<RunResult> run(Connection conn, Lease lease) {
    return calendarList
        .sync(conn, lease)
        .thenMany(calendars.findByConnection(conn.id()))
        .filter(c -> c.selected() && !c.removed())
        .concatMap(cal -> events.sync(conn, cal, lease))
        .reduce(RunResult.ok(), RunResult::and);
  }
}
