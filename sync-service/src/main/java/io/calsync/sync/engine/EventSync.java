package io.calsync.sync.engine;

import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.sync.google.EventsPage;
import io.calsync.sync.google.GoogleCalendarClient;
import io.calsync.sync.google.GoogleCallException;
import io.calsync.sync.google.GoogleCallException.Kind;
import io.calsync.sync.model.CalendarSyncState;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.publish.EventChangePublisher;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The events of one selected calendar (sync rules 4–7 of the module README): a full sync as a new
 * generation when there is no sync token, an incremental sync with it, and after a 410 one full
 * sync, no loop. Every page's messages are handed to Kafka in order, each page's after the page
 * before was acknowledged, while the next page is read from Google (one page ahead); the sync token
 * is stored only after the last message was acknowledged. Before each publish the lease is checked
 * (renewed) and the calendar checked to be still selected.
 */
@Component
class EventSync {

  private static final Logger log = LoggerFactory.getLogger(EventSync.class);

  private final CalendarRepository calendars;
  private final SyncStateRepository states;
  private final GoogleCalendarClient google;
  private final EventChangePublisher publisher;
  private final WatchChannels watchChannels;
  private final CalendarAnnouncements announcements;
  private final Failures failures;
  private final SyncProperties props;
  private final Clock clock;

  EventSync(
      CalendarRepository calendars,
      SyncStateRepository states,
      GoogleCalendarClient google,
      EventChangePublisher publisher,
      WatchChannels watchChannels,
      CalendarAnnouncements announcements,
      Failures failures,
      SyncProperties props,
      Clock clock) {
    this.calendars = calendars;
    this.states = states;
    this.google = google;
    this.publisher = publisher;
    this.watchChannels = watchChannels;
    this.announcements = announcements;
    this.failures = failures;
    this.props = props;
    this.clock = clock;
  }

  /**
   * Syncs the calendar's events, then makes sure it has a push channel. A failure of this calendar
   * alone is recorded on it and ends as the result; one that concerns the whole connection (see
   * {@link Failures#connectionWide}) is recorded and then fails the returned {@code Mono}.
   */
  Mono<RunResult> sync(Connection conn, SyncedCalendar cal, Lease lease) {
    return states
        .calendarState(cal.id())
        .flatMap(
            st ->
                states
                    .calendarSyncing(cal.id(), clock.instant())
                    .then(
                        st.syncToken() == null
                            ? fullSync(conn, cal, st.generation() + 1, lease)
                            : incrementalSync(conn, cal, st, lease)))
        .then(Mono.defer(() -> watchChannels.ensure(cal)))
        .thenReturn(RunResult.ok())
        .onErrorResume(e -> calendarFailed(conn, cal, lease, e));
  }

  /**
   * Full sync as a new generation, stored before anything is published (every attempt, even a retry
   * after a failure, is newer than the last): {@code snapshot_started}, every page of {@code
   * events.list} ({@code timeMin = now - window}), {@code snapshot_completed}; then the last page's
   * token.
   */
  private Mono<Void> fullSync(Connection conn, SyncedCalendar cal, long generation, Lease lease) {
    Instant timeMin = OffsetDateTime.now(clock).minus(props.fullSyncWindow()).toInstant();
    return states
        .fullSyncStarted(cal.id(), generation)
        .then(lease.check())
        .then(
            publisher.publish(
                new SnapshotStarted(conn.id(), conn.userId(), now(), cal.id(), generation)))
        .then(
            pages(
                conn,
                cal,
                generation,
                lease,
                pageToken ->
                    google.listEventsFull(
                        conn.id(),
                        cal.providerCalendarId(),
                        timeMin,
                        props.eventsPageSize(),
                        pageToken)))
        .flatMap(
            totals ->
                lease
                    .check()
                    .then(
                        publisher.publish(
                            new SnapshotCompleted(
                                conn.id(),
                                conn.userId(),
                                now(),
                                cal.id(),
                                generation,
                                totals.upserts())))
                    .then(
                        states.calendarSucceeded(
                            cal.id(),
                            totals.syncToken(),
                            generation,
                            totals.upserts(),
                            clock.instant())));
  }

  /** Incremental sync with the stored token. A 410 → drop the token and ONE full sync, no loop. */
  private Mono<Void> incrementalSync(
      Connection conn, SyncedCalendar cal, CalendarSyncState st, Lease lease) {
    return pages(
            conn,
            cal,
            st.generation(),
            lease,
            pageToken ->
                google.listEventsIncremental(
                    conn.id(),
                    cal.providerCalendarId(),
                    st.syncToken(),
                    props.eventsPageSize(),
                    pageToken))
        .flatMap(
            totals ->
                states.calendarSucceeded(
                    cal.id(), totals.syncToken(), st.generation(), null, clock.instant()))
        .onErrorResume(
            e -> e instanceof GoogleCallException g && g.kind() == Kind.FULL_SYNC_REQUIRED,
            e -> {
              log.info(
                  "sync token of calendar {} is no longer valid: full sync as generation {}",
                  cal.id(),
                  st.generation() + 1);
              // the full sync drops the useless token as it stores its new generation
              return fullSync(conn, cal, st.generation() + 1, lease);
            });
  }

  private record Totals(long upserts, String syncToken) {}

  /**
   * Reads every page and publishes each page's changes in page order (sync rule 6): while page k is
   * guarded, handed to Kafka and acknowledged, page k+1 is already being fetched, one page ahead
   * and no more (decision "Paging one page ahead"). Page k+1 is published only after every message
   * of page k was acknowledged and page k+1 arrived; a failure of either (a Google error on the
   * page read ahead, Kafka not acknowledging, the guard) cancels the other and fails the whole
   * read, so the caller stores nothing.
   */
  private Mono<Totals> pages(
      Connection conn,
      SyncedCalendar cal,
      long generation,
      Lease lease,
      Function<String, Mono<EventsPage>> fetch) {
    Paging paging = new Paging(conn, cal, generation, lease, fetch);
    return fetch.apply(null).flatMap(first -> publishFrom(paging, first, new Totals(0, null)));
  }

  /** What every page of one calendar's read shares. */
  private record Paging(
      Connection conn,
      SyncedCalendar cal,
      long generation,
      Lease lease,
      Function<String, Mono<EventsPage>> fetch) {}

  /** Publishes {@code page} while the page after it is fetched, then goes on with that one. */
  private Mono<Totals> publishFrom(Paging paging, EventsPage page, Totals acc) {
    List<EventChangeMessage> messages = new ArrayList<>(page.items().size());
    long upserts = 0;
    for (EventPayload e : page.items()) {
      messages.add(message(paging.conn(), paging.cal(), paging.generation(), e));
      if (!EventsPage.cancelled(e)) {
        upserts++;
      }
    }
    Totals next = new Totals(acc.upserts() + upserts, page.nextSyncToken());
    Mono<Void> publish =
        guard(paging.cal(), paging.lease()).then(Mono.defer(() -> publisher.publish(messages)));
    if (page.nextPageToken() == null) {
      if (page.nextSyncToken() == null) {
        log.warn("last page of calendar {} carried no nextSyncToken", paging.cal().id());
      }
      return publish.thenReturn(next);
    }
    return Mono.zip(
            publish.thenReturn(Boolean.TRUE),
            paging.fetch().apply(page.nextPageToken()),
            (published, following) -> following)
        .flatMap(following -> publishFrom(paging, following, next));
  }

  private EventChangeMessage message(
      Connection conn, SyncedCalendar cal, long generation, EventPayload e) {
    return EventsPage.cancelled(e)
        ? new EventDeleted(conn.id(), conn.userId(), now(), cal.id(), generation, e)
        : new EventUpserted(conn.id(), conn.userId(), now(), cal.id(), generation, e);
  }

  /** Before each page: the lease still held, and stop if the calendar was deselected or removed. */
  private Mono<Void> guard(SyncedCalendar cal, Lease lease) {
    return lease
        .check()
        .then(calendars.isSyncable(cal.id()))
        .flatMap(
            syncable ->
                syncable
                    ? Mono.<Void>empty()
                    : Mono.error(
                        new SyncAbortedException("calendar deselected or removed", false)));
  }

  private Mono<RunResult> calendarFailed(
      Connection conn, SyncedCalendar cal, Lease lease, Throwable e) {
    if (e instanceof SyncAbortedException a && a.leaseLost()) {
      // the calendar's state is no longer this run's to write: the lease's new holder owns it
      return Mono.error(e);
    }
    if (e instanceof SyncAbortedException) {
      // deselected or removed meanwhile: nothing is stored; selecting it again runs a full sync
      return states.dropSyncToken(cal.id()).thenReturn(RunResult.ok());
    }
    if (e instanceof GoogleCallException g && g.kind() == Kind.NOT_FOUND) {
      log.info("calendar {} of connection {} is gone at Google", cal.id(), conn.id());
      return announcements.remove(conn, cal, lease).thenReturn(RunResult.ok());
    }
    RunResult result = failures.classify(conn.id(), e);
    Mono<Void> record = states.calendarFailed(cal.id(), result.errorCode(), result.errorMessage());
    if (Failures.connectionWide(e)) {
      return record.then(Mono.error(e));
    }
    return record.thenReturn(result);
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
