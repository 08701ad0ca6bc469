package io.calsync.sync.engine;

import io.calsync.sync.model.Connection;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.ConnectionRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * One sync run of one connection (sync rules 3–8 of the module README); the caller holds the
 * connection's {@link Lease}, checked before every publish. Order of work: the calendar list
 * ({@link CalendarListSync}), then each selected calendar in turn ({@link EventSync}); a run owed
 * only to push notifications skips the calendar list and syncs only the calendars they marked.
 * Everything is sequential ({@code concatMap}), so the messages of a connection leave in order.
 */
@Service
public class SyncRun {

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final CalendarListSync calendarList;
  private final EventSync events;
  private final Failures failures;
  private final SyncStateRepository states;

  SyncRun(
      ConnectionRepository connections,
      CalendarRepository calendars,
      CalendarListSync calendarList,
      EventSync events,
      Failures failures,
      SyncStateRepository states) {
    this.connections = connections;
    this.calendars = calendars;
    this.calendarList = calendarList;
    this.events = events;
    this.failures = failures;
    this.states = states;
  }

  /**
   * Runs one sync of the connection; never fails: the outcome is in the {@link RunResult}. {@code
   * wide}: the calendar list and every selected calendar (a connection-wide trigger); otherwise
   * only the selected calendars a push marked.
   */
  public Mono<RunResult> syncConnection(UUID connectionId, Lease lease, boolean wide) {
    return connections
        .find(connectionId)
        .flatMap(
            conn ->
                conn.active()
                    ? run(conn, lease, wide)
                    : Mono.just(
                        RunResult.reauthRequired("The Google grant is gone; connect again.")))
        .defaultIfEmpty(RunResult.error("connection_unknown", "The connection is not known (yet)."))
        .onErrorResume(e -> Mono.just(failures.classify(connectionId, e)));
  }

  private Mono<RunResult> run(Connection conn, Lease lease, boolean wide) {
    return (wide ? calendarList.sync(conn, lease) : Mono.<Void>empty())
        .thenMany(calendars.findByConnection(conn.id()))
        .filter(c -> c.selected() && !c.removed())
        .filterWhen(c -> wide ? Mono.just(true) : states.isCalendarPushed(c.id()))
        .concatMap(cal -> events.sync(conn, cal, lease))
        .reduce(RunResult.ok(), RunResult::and);
  }
}
