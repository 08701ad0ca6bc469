package io.calsync.query.readmodel.persistence;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.query.stream.domain.ReadModelChange;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.When;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies Kafka messages to the read model, each in one transaction, idempotently and order-safely:
 * a row is only overwritten by data with a newer source time ({@code updated} for events, {@code
 * occurred_at} for calendars and connections), so a replayed or late message changes nothing, and a
 * deleted event stays as a tombstone that an older upsert cannot bring back. Answers the changes it
 * applied, for the live stream.
 */
@Component
public class ReadModelWriter {

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final RecurrenceExpander expander;

  ReadModelWriter(
      DatabaseClient db, ReactiveTransactionManager transactionManager, Clock clock, RecurrenceExpander expander) {
    this.db = db;
    this.tx = TransactionalOperator.create(transactionManager);
    this.clock = clock;
    this.expander = expander;
  }

  public Mono<List<ReadModelChange>> apply(EventChangeMessage message) {
    Mono<List<ReadModelChange>> work =
        connectionStatus(message.connectionId())
            .flatMap(
                status -> {
                  if (status.filter("disconnected"::equals).isPresent()) {
                    return Mono.just(List.<ReadModelChange>of());
                  }
                  return route(message);
                });
    return tx.transactional(work);
  }

  public Mono<List<ReadModelChange>> apply(ConnectionMessage message) {
    Mono<List<ReadModelChange>> work;
    if (message instanceof ConnectionConnected m) {
      work = setConnectionStatus(m, "active");
    } else if (message instanceof ConnectionReauthRequired m) {
      work = setConnectionStatus(m, "reauth_required");
    } else if (message instanceof ConnectionDisconnected m) {
      work =
          setConnectionStatus(m, "disconnected")
              .flatMap(
                  changes ->
                      changes.isEmpty()
                          ? Mono.just(changes)
                          : db.sql("delete from events where connection_id = :c")
                              .bind("c", m.connectionId())
                              .fetch()
                              .rowsUpdated()
                              .then(
                                  db.sql("delete from calendars where connection_id = :c")
                                      .bind("c", m.connectionId())
                                      .fetch()
                                      .rowsUpdated())
                              .thenReturn(changes));
    } else {
      work = Mono.just(List.of());
    }
    return tx.transactional(work);
  }

  private Mono<List<ReadModelChange>> route(EventChangeMessage message) {
    if (message instanceof CalendarUpserted m) {
      return calendarUpserted(m);
    }
    if (message instanceof CalendarRemoved m) {
      return calendarRemoved(m);
    }
    if (message instanceof SnapshotStarted m) {
      return snapshotStarted(m);
    }
    if (message instanceof SnapshotCompleted m) {
      return snapshotCompleted(m);
    }
    if (message instanceof EventUpserted m) {
      return whenCalendarShown(m, eventUpserted(m));
    }
    if (message instanceof EventDeleted m) {
      return whenCalendarShown(m, eventDeleted(m));
    }
    return Mono.just(List.of());
  }

  // --- connections -------------------------------------------------------------------------------

  private Mono<Optional<String>> connectionStatus(UUID connectionId) {
    return db.sql("select status from connections where id = :id")
        .bind("id", connectionId)
        .map(row -> row.get("status", String.class))
        .one()
        .map(Optional::of)
        .defaultIfEmpty(Optional.empty());
  }

  private Mono<List<ReadModelChange>> setConnectionStatus(ConnectionMessage m, String status) {
    return db.sql(
            """
            insert into connections (id, user_id, status, status_at) values (:id, :user, :status, :at)
            on conflict (id) do update set user_id = excluded.user_id, status = excluded.status,
                                           status_at = excluded.status_at
             where connections.status_at < excluded.status_at
                or (connections.status_at = excluded.status_at and connections.status <> excluded.status)
            """)
        .bind("id", m.connectionId())
        .bind("user", m.userId())
        .bind("status", status)
        .bind("at", occurred(m.occurredAt()))
        .fetch()
        .rowsUpdated()
        .map(n -> n > 0 ? List.of(change(m.type(), m.userId(), m.connectionId(), null, null, m.occurredAt())) : List.of());
  }

  // --- calendars ---------------------------------------------------------------------------------

  private Mono<List<ReadModelChange>> calendarUpserted(CalendarUpserted m) {
    Mono<Long> upsert =
        bindNullable(
                db.sql(
                    """
                    insert into calendars (connection_id, calendar_id, user_id, name, color, time_zone,
                                           selected, removed, updated_at)
                    values (:c, :cal, :user, :name, :color, :tz, :selected, false, :at)
                    on conflict (connection_id, calendar_id) do update
                       set user_id = excluded.user_id, name = excluded.name, color = excluded.color,
                           time_zone = excluded.time_zone, selected = excluded.selected, removed = false,
                           updated_at = excluded.updated_at
                     where calendars.updated_at is null
                        or calendars.updated_at < excluded.updated_at
                        or (calendars.updated_at = excluded.updated_at
                            and (calendars.name, calendars.color, calendars.time_zone, calendars.selected,
                                 calendars.removed)
                                is distinct from (excluded.name, excluded.color, excluded.time_zone,
                                                  excluded.selected, excluded.removed))
                    """)
                    .bind("c", m.connectionId())
                    .bind("cal", m.calendarId())
                    .bind("user", m.userId())
                    .bind("selected", m.selected())
                    .bind("at", occurred(m.occurredAt())),
                "name", m.name(), "color", m.color(), "tz", m.timeZone())
            .fetch()
            .rowsUpdated();
    return upsert.flatMap(
        n -> {
          if (n == 0) {
            return Mono.just(List.<ReadModelChange>of());
          }
          Mono<Long> dropEvents = m.selected() ? Mono.just(0L) : deleteEventsOf(m.connectionId(), m.calendarId());
          return dropEvents.thenReturn(
              List.of(change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt())));
        });
  }

  private Mono<List<ReadModelChange>> calendarRemoved(CalendarRemoved m) {
    return db.sql(
            """
            insert into calendars (connection_id, calendar_id, user_id, selected, removed, updated_at)
            values (:c, :cal, :user, false, true, :at)
            on conflict (connection_id, calendar_id) do update set removed = true, updated_at = excluded.updated_at
             where calendars.updated_at is null
                or calendars.updated_at < excluded.updated_at
                or (calendars.updated_at = excluded.updated_at and not calendars.removed)
            """)
        .bind("c", m.connectionId())
        .bind("cal", m.calendarId())
        .bind("user", m.userId())
        .bind("at", occurred(m.occurredAt()))
        .fetch()
        .rowsUpdated()
        .flatMap(
            n ->
                n == 0
                    ? Mono.just(List.<ReadModelChange>of())
                    : deleteEventsOf(m.connectionId(), m.calendarId())
                        .thenReturn(
                            List.of(change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt()))));
  }

  private Mono<List<ReadModelChange>> snapshotStarted(SnapshotStarted m) {
    return db.sql(
            """
            insert into calendars (connection_id, calendar_id, user_id, snapshot_generation)
            values (:c, :cal, :user, :gen)
            on conflict (connection_id, calendar_id) do update
               set snapshot_generation = greatest(calendars.snapshot_generation, excluded.snapshot_generation)
            """)
        .bind("c", m.connectionId())
        .bind("cal", m.calendarId())
        .bind("user", m.userId())
        .bind("gen", m.generation())
        .fetch()
        .rowsUpdated()
        .thenReturn(List.of());
  }

  private Mono<List<ReadModelChange>> snapshotCompleted(SnapshotCompleted m) {
    Mono<Long> mark =
        db.sql(
                """
                insert into calendars (connection_id, calendar_id, user_id, completed_generation)
                values (:c, :cal, :user, :gen)
                on conflict (connection_id, calendar_id) do update
                   set completed_generation = excluded.completed_generation
                 where calendars.completed_generation is null
                    or calendars.completed_generation < excluded.completed_generation
                """)
            .bind("c", m.connectionId())
            .bind("cal", m.calendarId())
            .bind("user", m.userId())
            .bind("gen", m.generation())
            .fetch()
            .rowsUpdated();
    return mark.flatMap(
        n -> {
          if (n == 0) {
            return Mono.just(List.<ReadModelChange>of()); // a replayed or stale completion
          }
          return db.sql(
                  "delete from events where connection_id = :c and calendar_id = :cal and generation < :gen")
              .bind("c", m.connectionId())
              .bind("cal", m.calendarId())
              .bind("gen", m.generation())
              .fetch()
              .rowsUpdated()
              .thenReturn(
                  List.of(change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt())));
        });
  }

  private Mono<Long> deleteEventsOf(UUID connectionId, UUID calendarId) {
    return db.sql("delete from events where connection_id = :c and calendar_id = :cal")
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .fetch()
        .rowsUpdated();
  }

  /** Events of a deselected or removed calendar are not kept; they come back with its next snapshot. */
  private Mono<List<ReadModelChange>> whenCalendarShown(EventChangeMessage m, Mono<List<ReadModelChange>> write) {
    return db.sql("select selected, removed from calendars where connection_id = :c and calendar_id = :cal")
        .bind("c", m.connectionId())
        .bind("cal", m.calendarId())
        .map(row -> Boolean.TRUE.equals(row.get("selected", Boolean.class)) && !Boolean.TRUE.equals(row.get("removed", Boolean.class)))
        .one()
        .defaultIfEmpty(true)
        .flatMap(shown -> shown ? write : Mono.just(List.of()));
  }

  // --- events ------------------------------------------------------------------------------------

  private Mono<List<ReadModelChange>> eventUpserted(EventUpserted m) {
    EventPayload e = m.event();
    if (e == null || e.id() == null) {
      throw new IllegalArgumentException("event.upserted without event id");
    }
    if ("cancelled".equals(e.status())) {
      return delete(m, e, m.generation(), EventDeleted.TYPE);
    }
    OffsetDateTime updated = e.updated() != null ? e.updated() : occurred(m.occurredAt());
    GenericExecuteSpec spec =
        db.sql(
                """
                insert into events (connection_id, calendar_id, event_id, user_id, status, title, description,
                    location, start_at, start_offset_seconds, start_date, start_time_zone, end_at,
                    end_offset_seconds, end_date, end_time_zone, all_day, recurrence, recurring_event_id,
                    original_start_at, original_start_date, html_link, source_updated, etag, generation, deleted,
                    series_end_at, series_end_date)
                values (:c, :cal, :id, :user, :status, :title, :description, :location, :startAt, :startOffset,
                    :startDate, :startTz, :endAt, :endOffset, :endDate, :endTz, :allDay, :recurrence,
                    :recurringEventId, :originalStartAt, :originalStartDate, :htmlLink, :updated, :etag, :gen, false,
                    :seriesEndAt, :seriesEndDate)
                on conflict (connection_id, calendar_id, event_id) do update set
                    user_id = excluded.user_id, status = excluded.status, title = excluded.title,
                    description = excluded.description, location = excluded.location,
                    start_at = excluded.start_at, start_offset_seconds = excluded.start_offset_seconds,
                    start_date = excluded.start_date, start_time_zone = excluded.start_time_zone,
                    end_at = excluded.end_at, end_offset_seconds = excluded.end_offset_seconds,
                    end_date = excluded.end_date, end_time_zone = excluded.end_time_zone,
                    all_day = excluded.all_day, recurrence = excluded.recurrence,
                    recurring_event_id = excluded.recurring_event_id,
                    original_start_at = excluded.original_start_at,
                    original_start_date = excluded.original_start_date, html_link = excluded.html_link,
                    source_updated = excluded.source_updated, etag = excluded.etag,
                    generation = greatest(events.generation, excluded.generation), deleted = false,
                    series_end_at = excluded.series_end_at, series_end_date = excluded.series_end_date
                 where events.source_updated < excluded.source_updated
                """)
            .bind("c", m.connectionId())
            .bind("cal", m.calendarId())
            .bind("id", e.id())
            .bind("user", m.userId())
            .bind("status", e.status() != null ? e.status() : "confirmed")
            .bind("allDay", e.start() != null && e.start().date() != null)
            .bind("updated", updated)
            .bind("gen", m.generation());
    spec = bindNullable(spec, "title", e.title(), "description", e.description(), "location", e.location());
    spec = bindTime(spec, "start", e.start());
    spec = bindTime(spec, "end", e.end());
    spec = bindNullable(spec, "recurringEventId", e.recurringEventId(), "htmlLink", e.htmlLink(), "etag", e.etag());
    spec = e.recurrence() == null || e.recurrence().isEmpty()
        ? spec.bindNull("recurrence", String[].class)
        : spec.bind("recurrence", e.recurrence().toArray(String[]::new));
    spec = bindOriginalStart(spec, e.originalStart());
    Object seriesEnd = seriesEnd(m, e);
    spec = seriesEnd instanceof java.time.Instant end
        ? spec.bind("seriesEndAt", end.atOffset(ZoneOffset.UTC))
        : spec.bindNull("seriesEndAt", OffsetDateTime.class);
    spec = seriesEnd instanceof java.time.LocalDate end
        ? spec.bind("seriesEndDate", end)
        : spec.bindNull("seriesEndDate", java.time.LocalDate.class);
    return spec.fetch()
        .rowsUpdated()
        .flatMap(
            n ->
                n > 0
                    ? Mono.just(List.of(change(m.type(), m.userId(), m.connectionId(), m.calendarId(), e.id(), m.occurredAt())))
                    : bumpGeneration(m.connectionId(), m.calendarId(), e.id(), m.generation()).thenReturn(List.of()));
  }

  private Mono<List<ReadModelChange>> eventDeleted(EventDeleted m) {
    EventPayload e = m.event();
    if (e == null || e.id() == null) {
      throw new IllegalArgumentException("event.deleted without event id");
    }
    return delete(m, e, m.generation(), m.type());
  }

  /** Writes or keeps a tombstone; a newer live row is not touched. */
  private Mono<List<ReadModelChange>> delete(EventChangeMessage m, EventPayload e, long generation, String type) {
    OffsetDateTime updated = e.updated() != null ? e.updated() : occurred(m.occurredAt());
    GenericExecuteSpec spec =
        db.sql(
                """
                insert into events (connection_id, calendar_id, event_id, user_id, status, recurring_event_id,
                    original_start_at, original_start_date, all_day, source_updated, etag, generation, deleted)
                values (:c, :cal, :id, :user, 'cancelled', :recurringEventId, :originalStartAt, :originalStartDate,
                    :allDay, :updated, :etag, :gen, true)
                on conflict (connection_id, calendar_id, event_id) do update set
                    status = 'cancelled', deleted = true, source_updated = excluded.source_updated,
                    etag = coalesce(excluded.etag, events.etag),
                    recurring_event_id = coalesce(excluded.recurring_event_id, events.recurring_event_id),
                    original_start_at = coalesce(excluded.original_start_at, events.original_start_at),
                    original_start_date = coalesce(excluded.original_start_date, events.original_start_date),
                    generation = greatest(events.generation, excluded.generation)
                 where events.source_updated < excluded.source_updated
                    or (events.source_updated = excluded.source_updated and not events.deleted)
                """)
            .bind("c", m.connectionId())
            .bind("cal", m.calendarId())
            .bind("id", e.id())
            .bind("user", m.userId())
            .bind("allDay", e.originalStart() != null && e.originalStart().date() != null)
            .bind("updated", updated)
            .bind("gen", generation);
    spec = bindNullable(spec, "recurringEventId", e.recurringEventId(), "etag", e.etag());
    spec = bindOriginalStart(spec, e.originalStart());
    return spec.fetch()
        .rowsUpdated()
        .flatMap(
            n ->
                n > 0
                    ? Mono.just(List.of(change(type, m.userId(), m.connectionId(), m.calendarId(), e.id(), m.occurredAt())))
                    : bumpGeneration(m.connectionId(), m.calendarId(), e.id(), generation).thenReturn(List.of()));
  }

  /** The row was re-delivered by a snapshot without newer data: it belongs to that generation too. */
  private Mono<Long> bumpGeneration(UUID connectionId, UUID calendarId, String eventId, long generation) {
    return db.sql(
            """
            update events set generation = :gen
             where connection_id = :c and calendar_id = :cal and event_id = :id and generation < :gen
            """)
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .bind("id", eventId)
        .bind("gen", generation)
        .fetch()
        .rowsUpdated();
  }

  /** Where a finite series ends, so queries can skip it afterwards; null for anything else. */
  private Object seriesEnd(EventUpserted m, EventPayload e) {
    if (e.recurrence() == null || e.recurrence().isEmpty() || e.start() == null) {
      return null;
    }
    When start = when(e.start());
    if (start == null) {
      return null;
    }
    StoredEvent master = new StoredEvent(m.connectionId(), m.calendarId(), e.id(), e.status(), null, null, null,
        start, when(e.end()), start.isDate(), e.recurrence(), null, null, null, null, null);
    return expander.seriesEnd(master);
  }

  private static When when(EventTime time) {
    if (time == null) {
      return null;
    }
    if (time.date() != null) {
      return When.allDay(time.date(), time.timeZone());
    }
    return time.dateTime() == null
        ? null
        : When.timed(time.dateTime().toInstant(), time.dateTime().getOffset(), time.timeZone());
  }

  // --- binding helpers ---------------------------------------------------------------------------

  private static GenericExecuteSpec bindTime(GenericExecuteSpec spec, String prefix, EventTime time) {
    OffsetDateTime at = time == null ? null : time.dateTime();
    spec = at == null ? spec.bindNull(prefix + "At", OffsetDateTime.class) : spec.bind(prefix + "At", at);
    spec = at == null
        ? spec.bindNull(prefix + "Offset", Integer.class)
        : spec.bind(prefix + "Offset", at.getOffset().getTotalSeconds());
    spec = time == null || time.date() == null
        ? spec.bindNull(prefix + "Date", java.time.LocalDate.class)
        : spec.bind(prefix + "Date", time.date());
    return bindNullable(spec, prefix + "Tz", time == null ? null : time.timeZone());
  }

  private static GenericExecuteSpec bindOriginalStart(GenericExecuteSpec spec, EventTime original) {
    spec = original == null || original.dateTime() == null
        ? spec.bindNull("originalStartAt", OffsetDateTime.class)
        : spec.bind("originalStartAt", original.dateTime());
    return original == null || original.date() == null
        ? spec.bindNull("originalStartDate", java.time.LocalDate.class)
        : spec.bind("originalStartDate", original.date());
  }

  private static GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = namesAndValues[i];
      String value = namesAndValues[i + 1];
      spec = value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
    }
    return spec;
  }

  private OffsetDateTime occurred(OffsetDateTime occurredAt) {
    return occurredAt != null ? occurredAt : OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static ReadModelChange change(
      String type, String userId, UUID connectionId, UUID calendarId, String eventId, OffsetDateTime at) {
    return new ReadModelChange(type, userId, connectionId, calendarId, eventId, at);
  }
}
