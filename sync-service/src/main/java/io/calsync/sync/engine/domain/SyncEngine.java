package io.calsync.sync.engine.domain;

import com.google.api.services.calendar.model.CalendarListEntry;
import com.google.api.services.calendar.model.Event;
import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.sync.calendar.domain.CalendarAttributes;
import io.calsync.sync.calendar.domain.SyncedCalendar;
import io.calsync.sync.calendar.persistence.CalendarRepository;
import io.calsync.sync.config.SyncProperties;
import io.calsync.sync.connection.domain.Connection;
import io.calsync.sync.connection.persistence.ConnectionRepository;
import io.calsync.sync.engine.persistence.LeaseRepository;
import io.calsync.sync.engine.persistence.SyncStateRepository;
import io.calsync.sync.google.client.EventsPage;
import io.calsync.sync.google.client.GoogleCallException;
import io.calsync.sync.google.client.GoogleCallException.Kind;
import io.calsync.sync.google.client.GoogleCalendarClient;
import io.calsync.sync.publish.messaging.EventChangePublisher;
import io.calsync.sync.publish.PublishFailedException;
import io.calsync.sync.token.client.ReauthRequiredException;
import io.calsync.sync.token.client.TokenUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One sync run of one connection (ARCHITECTURE §8 rules 3-5). The caller holds the connection's
 * lease. Order of work: the calendar list (every page) → {@code calendar.upserted} for new or changed
 * calendars → each selected calendar in turn, full or incremental. Everything is sequential
 * ({@code concatMap}), so the messages of a connection leave in order. A sync token is stored only
 * after Kafka acknowledged every message of that calendar's run.
 */
@Service
public class SyncEngine {

  private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

  private final ConnectionRepository connections;
  private final CalendarRepository calendars;
  private final SyncStateRepository states;
  private final LeaseRepository leases;
  private final GoogleCalendarClient google;
  private final EventChangePublisher publisher;
  private final WatchChannels watchChannels;
  private final SyncProperties props;
  private final Clock clock;

  SyncEngine(
      ConnectionRepository connections,
      CalendarRepository calendars,
      SyncStateRepository states,
      LeaseRepository leases,
      GoogleCalendarClient google,
      EventChangePublisher publisher,
      WatchChannels watchChannels,
      SyncProperties props,
      Clock clock) {
    this.watchChannels = watchChannels;
    this.connections = connections;
    this.calendars = calendars;
    this.states = states;
    this.leases = leases;
    this.google = google;
    this.publisher = publisher;
    this.props = props;
    this.clock = clock;
  }

  /** Runs one sync of the connection; never fails: the outcome is in the {@link RunResult}. */
  public Mono<RunResult> syncConnection(UUID connectionId, String leaseOwner) {
    return connections
        .find(connectionId)
        .flatMap(
            conn ->
                conn.active()
                    ? run(conn, leaseOwner)
                    : Mono.just(RunResult.reauthRequired("The Google grant is gone; connect again.")))
        .defaultIfEmpty(RunResult.error("connection_unknown", "The connection is not known (yet)."))
        .onErrorResume(e -> Mono.just(classify(connectionId, e)));
  }

  private Mono<RunResult> run(Connection conn, String owner) {
    return syncCalendarList(conn)
        .thenMany(calendars.findByConnection(conn.id()))
        .filter(c -> c.selected() && !c.removed())
        .concatMap(cal -> syncCalendar(conn, cal, owner))
        .reduce(RunResult.ok(), RunResult::and);
  }

  // ---------------------------------------------------------------- calendar list

  Mono<Void> syncCalendarList(Connection conn) {
    return listAllCalendars(conn.id(), null, new ArrayList<>())
        .flatMap(
            entries ->
                calendars
                    .findByConnection(conn.id())
                    .collectList()
                    .flatMap(
                        existing -> {
                          Set<String> listed = new HashSet<>();
                          entries.forEach(e -> listed.add(e.getId()));
                          return Flux.fromIterable(entries)
                              .concatMap(e -> calendars.upsert(conn.id(), attributes(e)))
                              .concatMap(cal -> announce(conn, cal))
                              .thenMany(Flux.fromIterable(existing))
                              .filter(c -> !listed.contains(c.providerCalendarId()))
                              .filter(c -> !c.removed() || c.needsAnnouncement())
                              .concatMap(c -> removeCalendar(conn, c))
                              .then();
                        }));
  }

  private Mono<List<CalendarListEntry>> listAllCalendars(
      UUID connectionId, String pageToken, List<CalendarListEntry> acc) {
    return google
        .listCalendars(connectionId, props.calendarListPageSize(), pageToken)
        .flatMap(
            page -> {
              acc.addAll(page.items());
              return page.nextPageToken() == null
                  ? Mono.just(acc)
                  : listAllCalendars(connectionId, page.nextPageToken(), acc);
            });
  }

  static CalendarAttributes attributes(CalendarListEntry e) {
    String name = e.getSummaryOverride() != null ? e.getSummaryOverride() : e.getSummary();
    return new CalendarAttributes(
        e.getId(),
        name,
        e.getBackgroundColor(),
        e.getTimeZone(),
        e.getAccessRole(),
        Boolean.TRUE.equals(e.getPrimary()));
  }

  /** Publishes {@code calendar.upserted} when the calendar is new or changed, then remembers it. */
  public Mono<Void> announce(Connection conn, SyncedCalendar cal) {
    if (!cal.needsAnnouncement()) {
      return Mono.empty();
    }
    var message =
        new CalendarUpserted(
            conn.id(), conn.userId(), now(), cal.id(), cal.providerCalendarId(), cal.name(),
            cal.color(), cal.timeZone(), cal.primary(), cal.accessRole(), cal.selected());
    return publisher.publish(message).then(calendars.markPublished(cal.id(), cal.fingerprint()));
  }

  private Mono<Void> removeCalendar(Connection conn, SyncedCalendar cal) {
    return watchChannels
        .stopAll(cal)
        .then(calendars.markRemoved(cal.id()))
        .flatMap(
            removed ->
                publisher
                    .publish(new CalendarRemoved(conn.id(), conn.userId(), now(), cal.id()))
                    .then(calendars.markPublished(removed.id(), removed.fingerprint())));
  }

  // ---------------------------------------------------------------- one calendar

  private Mono<RunResult> syncCalendar(Connection conn, SyncedCalendar cal, String owner) {
    return states
        .calendarState(cal.id())
        .flatMap(
            st ->
                states
                    .calendarSyncing(cal.id(), now())
                    .then(
                        st.syncToken() == null
                            ? fullSync(conn, cal, st.generation() + 1, owner)
                            : incrementalSync(conn, cal, st, owner)))
        .then(Mono.defer(() -> watchChannels.ensure(cal)))
        .thenReturn(RunResult.ok())
        .onErrorResume(e -> calendarFailed(conn, cal, e));
  }

  /**
   * Full sync as a new generation: {@code snapshot_started}, every page of {@code events.list}
   * ({@code timeMin = now - window}), {@code snapshot_completed}; then the last page's token.
   */
  private Mono<Void> fullSync(Connection conn, SyncedCalendar cal, long generation, String owner) {
    Instant timeMin =
        OffsetDateTime.now(clock).minus(props.fullSyncWindow()).toInstant();
    return publisher
        .publish(new SnapshotStarted(conn.id(), conn.userId(), now(), cal.id(), generation))
        .then(
            pages(conn, cal, generation, owner, new Totals(0, null),
                pageToken ->
                    google.listEventsFull(
                        conn.id(), cal.providerCalendarId(), timeMin, props.eventsPageSize(), pageToken),
                null))
        .flatMap(
            totals ->
                publisher
                    .publish(
                        new SnapshotCompleted(
                            conn.id(), conn.userId(), now(), cal.id(), generation, totals.upserts()))
                    .then(
                        states.calendarSucceeded(
                            cal.id(), totals.syncToken(), generation, totals.upserts(), now())));
  }

  /** Incremental sync with the stored token. A 410 → drop the token and ONE full sync, no loop. */
  private Mono<Void> incrementalSync(
      Connection conn, SyncedCalendar cal, CalendarSyncState st, String owner) {
    return pages(conn, cal, st.generation(), owner, new Totals(0, null),
            pageToken ->
                google.listEventsIncremental(
                    conn.id(), cal.providerCalendarId(), st.syncToken(), props.eventsPageSize(), pageToken),
            null)
        .flatMap(
            totals -> states.calendarSucceeded(cal.id(), totals.syncToken(), st.generation(), null, now()))
        .onErrorResume(
            e -> e instanceof GoogleCallException g && g.kind() == Kind.FULL_SYNC_REQUIRED,
            e -> {
              log.info("sync token of calendar {} is no longer valid: full sync as generation {}",
                  cal.id(), st.generation() + 1);
              return states
                  .dropSyncToken(cal.id())
                  .then(fullSync(conn, cal, st.generation() + 1, owner));
            });
  }

  private record Totals(long upserts, String syncToken) {}

  /** Reads every page; publishes each page's changes in order and waits for Kafka's acks. */
  private Mono<Totals> pages(
      Connection conn,
      SyncedCalendar cal,
      long generation,
      String owner,
      Totals acc,
      java.util.function.Function<String, Mono<EventsPage>> fetch,
      String pageToken) {
    return fetch
        .apply(pageToken)
        .flatMap(
            page -> {
              List<EventChangeMessage> messages = new ArrayList<>(page.items().size());
              long upserts = 0;
              for (Event e : page.items()) {
                messages.add(message(conn, cal, generation, e));
                if (!EventMapper.cancelled(e)) {
                  upserts++;
                }
              }
              Totals next = new Totals(acc.upserts() + upserts, page.nextSyncToken());
              Mono<Void> publish = guard(conn, cal, owner).then(publisher.publish(messages));
              if (page.nextPageToken() != null) {
                return publish.then(
                    Mono.defer(
                        () -> pages(conn, cal, generation, owner, next, fetch, page.nextPageToken())));
              }
              if (page.nextSyncToken() == null) {
                log.warn("last page of calendar {} carried no nextSyncToken", cal.id());
              }
              return publish.thenReturn(next);
            });
  }

  private EventChangeMessage message(Connection conn, SyncedCalendar cal, long generation, Event e) {
    var payload = EventMapper.payload(e);
    return EventMapper.cancelled(e)
        ? new EventDeleted(conn.id(), conn.userId(), now(), cal.id(), generation, payload)
        : new EventUpserted(conn.id(), conn.userId(), now(), cal.id(), generation, payload);
  }

  /** Before each page: keep the lease alive, and stop if the calendar was deselected or removed. */
  private Mono<Void> guard(Connection conn, SyncedCalendar cal, String owner) {
    return leases
        .renew(conn.id(), owner, now().plus(props.leaseTtl()))
        .flatMap(
            held ->
                held
                    ? calendars.isSyncable(cal.id())
                    : Mono.error(new SyncAbortedException("sync lease lost", true)))
        .flatMap(
            syncable ->
                syncable
                    ? Mono.<Void>empty()
                    : Mono.error(new SyncAbortedException("calendar deselected or removed", false)));
  }

  private Mono<RunResult> calendarFailed(Connection conn, SyncedCalendar cal, Throwable e) {
    if (e instanceof SyncAbortedException a && !a.leaseLost()) {
      // deselected or removed meanwhile: nothing is stored; selecting it again runs a full sync
      return states.dropSyncToken(cal.id()).thenReturn(RunResult.ok());
    }
    if (e instanceof GoogleCallException g && g.kind() == Kind.NOT_FOUND) {
      log.info("calendar {} of connection {} is gone at Google", cal.id(), conn.id());
      return removeCalendar(conn, cal).thenReturn(RunResult.ok());
    }
    RunResult result = classify(conn.id(), e);
    Mono<Void> record = states.calendarFailed(cal.id(), result.errorCode(), result.errorMessage());
    if (connectionWide(e)) {
      return record.then(Mono.error(e));
    }
    return record.thenReturn(result);
  }

  private static boolean connectionWide(Throwable e) {
    return e instanceof ReauthRequiredException
        || e instanceof TokenUnavailableException
        || e instanceof SyncAbortedException
        || e instanceof PublishFailedException
        || (e instanceof GoogleCallException g
            && (g.kind() == Kind.QUOTA_EXCEEDED || g.kind() == Kind.UNAUTHORIZED));
  }

  private RunResult classify(UUID connectionId, Throwable e) {
    if (e instanceof ReauthRequiredException) {
      return RunResult.reauthRequired("The Google grant is gone; connect the account again.");
    }
    if (e instanceof TokenUnavailableException) {
      return RunResult.error("token_unavailable", "No access token could be obtained from oauth-service.");
    }
    if (e instanceof GoogleCallException g) {
      if (g.kind() == Kind.QUOTA_EXCEEDED) {
        return RunResult.paused(g.code(), "Google's usage limits were exceeded; sync paused.",
            now().plus(props.quotaPause()));
      }
      return RunResult.error(g.code(), g.getMessage());
    }
    if (e instanceof SyncAbortedException a) {
      return RunResult.error("aborted", a.getMessage());
    }
    if (e instanceof PublishFailedException) {
      return RunResult.error("publish_failed", "Kafka did not acknowledge the changes.");
    }
    log.warn("sync of connection {} failed", connectionId, e);
    return RunResult.error("internal_error", e.getClass().getSimpleName());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
