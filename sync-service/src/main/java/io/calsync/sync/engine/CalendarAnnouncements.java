package io.calsync.sync.engine;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.publish.EventChangePublisher;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code calendar.upserted} and {@code calendar.removed}. What was announced is remembered as the
 * calendar's fingerprint only after Kafka acknowledged it, so an announcement that failed is made
 * again by the next run.
 */
@Component
public class CalendarAnnouncements {

  private final CalendarRepository calendars;
  private final EventChangePublisher publisher;
  private final WatchChannels watchChannels;
  private final Clock clock;

  CalendarAnnouncements(
      CalendarRepository calendars,
      EventChangePublisher publisher,
      WatchChannels watchChannels,
      Clock clock) {
    this.calendars = calendars;
    this.publisher = publisher;
    this.watchChannels = watchChannels;
    this.clock = clock;
  }

  /**
   * Publishes {@code calendar.upserted} when the calendar is new or changed, then remembers it. The
   * user's own change (a selection) outside any sync run: no lease to check.
   */
  public Mono<Void> announce(Connection conn, SyncedCalendar cal) {
    return announce(conn, cal, Mono.empty());
  }

  /** As {@link #announce(Connection, SyncedCalendar)} within a run: the lease checked first. */
  Mono<Void> announce(Connection conn, SyncedCalendar cal, Lease lease) {
    return announce(conn, cal, lease.check());
  }

  private Mono<Void> announce(Connection conn, SyncedCalendar cal, Mono<Void> leaseCheck) {
    if (!cal.needsAnnouncement()) {
      return Mono.empty();
    }
    var message =
        new CalendarUpserted(
            conn.id(),
            conn.userId(),
            now(),
            cal.id(),
            cal.providerCalendarId(),
            cal.name(),
            cal.color(),
            cal.timeZone(),
            cal.primary(),
            cal.accessRole(),
            cal.selected());
    return leaseCheck
        .then(publisher.publish(message))
        .then(calendars.markPublished(cal.id(), cal.fingerprint()));
  }

  /**
   * Google no longer lists (or knows) the calendar: its push channels stop, it is marked removed
   * (its sync token goes) and {@code calendar.removed} is published, the run's lease checked first.
   */
  Mono<Void> remove(Connection conn, SyncedCalendar cal, Lease lease) {
    return watchChannels
        .stopAll(cal)
        .then(calendars.markRemoved(cal.id(), clock.instant()))
        .flatMap(
            removed ->
                lease
                    .check()
                    .then(
                        publisher.publish(
                            new CalendarRemoved(conn.id(), conn.userId(), now(), cal.id())))
                    .then(calendars.markPublished(removed.id(), removed.fingerprint())));
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
