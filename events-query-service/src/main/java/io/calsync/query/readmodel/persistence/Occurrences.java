package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.RowChange;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowChange.PutCalendar;
import io.calsync.query.readmodel.domain.RowChange.PutConnection;
import io.calsync.query.readmodel.domain.RowChange.PutEvent;
import io.calsync.query.readmodel.persistence.OccurrenceGroups.GroupKey;
import io.calsync.query.readmodel.persistence.OccurrenceGroups.Materialized;
import io.calsync.query.readmodel.persistence.OccurrenceGroups.OccurrenceRow;
import io.calsync.query.readmodel.persistence.OccurrenceGroups.SeriesRow;
import io.calsync.query.readmodel.persistence.OccurrenceGroups.SourceRow;
import io.calsync.query.upcoming.domain.OccurrenceBuilder;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.Window;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code occurrences} (V4) true to the events rows, inside the transaction that wrote them:
 * from the row changes applied it works out which groups (series or lone events), calendars and
 * connections they touched and recomputes those with a few multi-row statements, whatever the
 * number of changes. Series expand over the horizon: from now minus {@link #MARGIN} to now plus
 * {@code calsync.query.occurrences.horizon}.
 */
@Component
class Occurrences {

  /** How far before now the horizon starts: an in-progress or all-day occurrence of any zone. */
  static final Duration MARGIN = Duration.ofDays(2);

  private final DatabaseClient db;
  private final OccurrenceVisibility visibility;
  private final OccurrenceBuilder builder;
  private final Clock clock;
  private final Duration horizon;

  Occurrences(
      DatabaseClient db,
      OccurrenceVisibility visibility,
      OccurrenceBuilder builder,
      Clock clock,
      OccurrenceProperties properties) {
    this.db = db;
    this.visibility = visibility;
    this.builder = builder;
    this.clock = clock;
    this.horizon = properties.horizon();
  }

  /**
   * Brings the occurrences in line with {@code applied}, the row changes just written, in order.
   */
  Mono<Void> afterWrites(List<RowChange> applied) {
    Set<UUID> connections = new LinkedHashSet<>();
    Set<GroupKey> calendars = new LinkedHashSet<>();
    List<DeleteEventsBefore> sweeps = new ArrayList<>();
    Set<GroupKey> zoned = new LinkedHashSet<>();
    Set<GroupKey> groups = new LinkedHashSet<>();
    Set<UUID> statuses = new LinkedHashSet<>();
    for (RowChange change : applied) {
      if (change instanceof PutEvent c) {
        var row = c.row();
        String group = row.recurringEventId() != null ? row.recurringEventId() : row.eventId();
        groups.add(new GroupKey(row.connectionId(), row.calendarId(), group));
      } else if (change instanceof PutCalendar c) {
        zoned.add(new GroupKey(c.row().connectionId(), c.row().calendarId(), null));
      } else if (change instanceof DeleteEventsOfCalendar c) {
        calendars.add(new GroupKey(c.connectionId(), c.calendarId(), null));
      } else if (change instanceof DeleteEventsBefore c) {
        sweeps.add(c);
      } else if (change instanceof DeleteRowsOfConnection c) {
        connections.add(c.connectionId());
      } else if (change instanceof PutConnection c) {
        statuses.add(c.row().id());
      }
    }
    if (connections.isEmpty()
        && calendars.isEmpty()
        && sweeps.isEmpty()
        && zoned.isEmpty()
        && groups.isEmpty()
        && statuses.isEmpty()) {
      return Mono.empty();
    }
    return clearConnections(connections)
        .then(clearCalendars(calendars))
        .thenMany(
            Flux.concat(
                Flux.fromIterable(sweeps).concatMap(this::sweptGroups),
                Flux.fromIterable(zoned).concatMap(this::calendarZonedSeries)))
        .collectList()
        .flatMap(
            more -> {
              Set<GroupKey> all = new LinkedHashSet<>(groups);
              all.addAll(more);
              return recompute(all);
            })
        .then(visibility.ofConnections(statuses))
        .then(visibility.ofCalendars(zoned));
  }

  /**
   * Recomputes the groups from their events rows as they are now: deletes their occurrences and
   * series rows and writes them anew (the horizon job uses it to extend series).
   */
  Mono<Void> recompute(Collection<GroupKey> groups) {
    if (groups.isEmpty()) {
      return Mono.empty();
    }
    List<GroupKey> keys = List.copyOf(groups);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant from = now.minus(MARGIN);
    Window window =
        new Window(from.atZone(ZoneOffset.UTC), now.plus(horizon).atZone(ZoneOffset.UTC));
    return sources(keys)
        .collectList()
        .flatMap(
            rows -> {
              Map<GroupKey, List<SourceRow>> byGroup = new LinkedHashMap<>();
              keys.forEach(k -> byGroup.put(k, new ArrayList<>()));
              for (SourceRow row : rows) {
                byGroup
                    .get(
                        new GroupKey(
                            row.event().connectionId(), row.event().calendarId(), row.groupId()))
                    .add(row);
              }
              List<OccurrenceRow> occurrences = new ArrayList<>();
              List<SeriesRow> series = new ArrayList<>();
              byGroup.forEach(
                  (key, source) -> {
                    Materialized m = OccurrenceGroups.materialize(builder, window, key, source);
                    occurrences.addAll(m.occurrences());
                    if (m.series() != null) {
                      series.add(m.series());
                    }
                  });
              return delete("occurrences", "group_id", keys)
                  .then(delete("occurrence_series", "series_id", keys))
                  .then(insertOccurrences(occurrences))
                  .then(insertSeries(series));
            });
  }

  private Mono<Void> clearConnections(Set<UUID> connections) {
    if (connections.isEmpty()) {
      return Mono.empty();
    }
    UUID[] ids = connections.toArray(UUID[]::new);
    return Flux.concat(
            db.sql("delete from occurrences where connection_id = any(:c)")
                .bind("c", ids)
                .fetch()
                .rowsUpdated(),
            db.sql("delete from occurrence_series where connection_id = any(:c)")
                .bind("c", ids)
                .fetch()
                .rowsUpdated())
        .then();
  }

  private Mono<Void> clearCalendars(Set<GroupKey> calendars) {
    if (calendars.isEmpty()) {
      return Mono.empty();
    }
    UUID[] c = column(calendars, GroupKey::connectionId, UUID[]::new);
    UUID[] cal = column(calendars, GroupKey::calendarId, UUID[]::new);
    return Flux.just("occurrences", "occurrence_series")
        .concatMap(
            table ->
                db.sql(
                        "delete from "
                            + table
                            + " t using unnest(:c::uuid[], :cal::uuid[]) as k(c, cal)"
                            + " where t.connection_id = k.c and t.calendar_id = k.cal")
                    .bind("c", c)
                    .bind("cal", cal)
                    .fetch()
                    .rowsUpdated())
        .then();
  }

  /**
   * Groups a snapshot sweep may have changed: any group that had an events row below the swept
   * generation (that row is gone now; a swept exception gives its instance back to the master).
   */
  private Flux<GroupKey> sweptGroups(DeleteEventsBefore sweep) {
    return db.sql(
            """
            select group_id from occurrences
             where connection_id = :c and calendar_id = :cal and source_generation < :gen
            union
            select series_id from occurrence_series
             where connection_id = :c and calendar_id = :cal and min_generation < :gen
            """)
        .bind("c", sweep.connectionId())
        .bind("cal", sweep.calendarId())
        .bind("gen", sweep.generation())
        .map(
            row -> new GroupKey(sweep.connectionId(), sweep.calendarId(), row.get(0, String.class)))
        .all();
  }

  /** Series expanded in their calendar's zone, which a calendar message may just have changed. */
  private Flux<GroupKey> calendarZonedSeries(GroupKey calendar) {
    return db.sql(
            """
            select series_id from occurrence_series
             where connection_id = :c and calendar_id = :cal and zone_from_calendar
            """)
        .bind("c", calendar.connectionId())
        .bind("cal", calendar.calendarId())
        .map(
            row ->
                new GroupKey(
                    calendar.connectionId(), calendar.calendarId(), row.get(0, String.class)))
        .all();
  }

  private static final String SOURCE_COLUMNS =
      """
      g.grp, e.connection_id, e.calendar_id, e.event_id, e.user_id, e.status, e.deleted, e.generation,
      e.start_at, e.start_offset_seconds, e.start_date, e.start_time_zone,
      e.end_at, e.end_offset_seconds, e.end_date, e.end_time_zone, e.all_day, e.recurrence,
      e.recurring_event_id, e.original_start_at, e.original_start_date, c.time_zone as calendar_time_zone
      """;

  private static final String GROUPS =
      " from unnest(:c::uuid[], :cal::uuid[], :grp::text[]) as g(connection_id, calendar_id, grp)";

  private static final String CALENDAR =
      " left join lateral (select time_zone from calendars c where c.connection_id = e.connection_id"
          + " and c.calendar_id = e.calendar_id offset 0) c on true";

  /**
   * The events rows of the groups: each head by primary key, the rest by recurring_event_id. Every
   * look-up is a lateral join from the groups, so the plan is a primary-key or index probe per
   * group whatever the planner's statistics say (module README, decision 9).
   */
  static final String SOURCES =
      "select "
          + SOURCE_COLUMNS
          + GROUPS
          + " cross join lateral (select * from events e where e.connection_id = g.connection_id"
          + " and e.calendar_id = g.calendar_id and e.event_id = g.grp"
          + " and e.recurring_event_id is null offset 0) e"
          + CALENDAR
          + " union all select "
          + SOURCE_COLUMNS
          + GROUPS
          + " cross join lateral (select * from events e where e.connection_id = g.connection_id"
          + " and e.calendar_id = g.calendar_id and e.recurring_event_id = g.grp offset 0) e"
          + CALENDAR;

  private Flux<SourceRow> sources(List<GroupKey> keys) {
    return db.sql(SOURCES)
        .bind("c", column(keys, GroupKey::connectionId, UUID[]::new))
        .bind("cal", column(keys, GroupKey::calendarId, UUID[]::new))
        .bind("grp", column(keys, GroupKey::groupId, String[]::new))
        .map(Occurrences::source)
        .all();
  }

  /** Deletes the rows of the groups from {@code table}, found by one index probe per group. */
  static String deleteOfGroups(String table, String groupColumn) {
    return "delete from "
        + table
        + " where ctid = any(array(select t.ctid"
        + " from unnest(:c::uuid[], :cal::uuid[], :grp::text[]) as k(c, cal, grp)"
        + " cross join lateral (select ctid from "
        + table
        + " t where t.connection_id = k.c and t.calendar_id = k.cal and t."
        + groupColumn
        + " = k.grp offset 0) t))";
  }

  private Mono<Void> delete(String table, String groupColumn, List<GroupKey> keys) {
    return db.sql(deleteOfGroups(table, groupColumn))
        .bind("c", column(keys, GroupKey::connectionId, UUID[]::new))
        .bind("cal", column(keys, GroupKey::calendarId, UUID[]::new))
        .bind("grp", column(keys, GroupKey::groupId, String[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  private Mono<Void> insertOccurrences(List<OccurrenceRow> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            """
            insert into occurrences (connection_id, calendar_id, group_id, id, event_id, user_id, all_day,
                                     start_key, end_key, end_at, time_zone, recurring_event_id, source_generation,
                                     visible)
            select u.*, """
                + OccurrenceVisibility.of("u")
                + """
              from unnest(:c::uuid[], :cal::uuid[], :grp::text[], :id::text[], :event::text[], :user::text[],
                          :allDay::boolean[], :startKey::timestamptz[], :endKey::timestamptz[],
                          :endAt::timestamptz[], :tz::text[], :rec::text[], :gen::bigint[])
                   as u(connection_id, calendar_id, grp, id, event, usr, all_day, start_key, end_key, end_at,
                        tz, rec, gen)
            on conflict do nothing
            """)
        .bind("c", column(rows, r -> r.group().connectionId(), UUID[]::new))
        .bind("cal", column(rows, r -> r.group().calendarId(), UUID[]::new))
        .bind("grp", column(rows, r -> r.group().groupId(), String[]::new))
        .bind("id", column(rows, OccurrenceRow::id, String[]::new))
        .bind("event", column(rows, OccurrenceRow::eventId, String[]::new))
        .bind("user", column(rows, OccurrenceRow::userId, String[]::new))
        .bind("allDay", column(rows, OccurrenceRow::allDay, Boolean[]::new))
        .bind("startKey", column(rows, r -> text(r.startKey()), String[]::new))
        .bind("endKey", column(rows, r -> text(r.endKey()), String[]::new))
        .bind("endAt", column(rows, r -> text(r.endAt()), String[]::new))
        .bind("tz", column(rows, OccurrenceRow::timeZone, String[]::new))
        .bind("rec", column(rows, OccurrenceRow::recurringEventId, String[]::new))
        .bind("gen", column(rows, OccurrenceRow::sourceGeneration, Long[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  private Mono<Void> insertSeries(List<SeriesRow> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            """
            insert into occurrence_series (connection_id, calendar_id, series_id, user_id, expanded_until,
                                           min_generation, zone_from_calendar)
            select * from unnest(:c::uuid[], :cal::uuid[], :grp::text[], :user::text[], :until::timestamptz[],
                                 :gen::bigint[], :zone::boolean[])
            """)
        .bind("c", column(rows, r -> r.group().connectionId(), UUID[]::new))
        .bind("cal", column(rows, r -> r.group().calendarId(), UUID[]::new))
        .bind("grp", column(rows, r -> r.group().groupId(), String[]::new))
        .bind("user", column(rows, SeriesRow::userId, String[]::new))
        .bind("until", column(rows, r -> text(r.expandedUntil()), String[]::new))
        .bind("gen", column(rows, SeriesRow::minGeneration, Long[]::new))
        .bind("zone", column(rows, SeriesRow::zoneFromCalendar, Boolean[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static SourceRow source(Readable r) {
    String[] recurrence = r.get("recurrence", String[].class);
    StoredEvent event =
        new StoredEvent(
            r.get("connection_id", UUID.class),
            r.get("calendar_id", UUID.class),
            r.get("event_id", String.class),
            r.get("status", String.class),
            null,
            null,
            null,
            OccurrenceGroups.when(
                r.get("start_at", OffsetDateTime.class),
                r.get("start_offset_seconds", Integer.class),
                r.get("start_date", LocalDate.class),
                r.get("start_time_zone", String.class)),
            OccurrenceGroups.when(
                r.get("end_at", OffsetDateTime.class),
                r.get("end_offset_seconds", Integer.class),
                r.get("end_date", LocalDate.class),
                r.get("end_time_zone", String.class)),
            Boolean.TRUE.equals(r.get("all_day", Boolean.class)),
            recurrence == null ? null : List.of(recurrence),
            r.get("recurring_event_id", String.class),
            null,
            null,
            null,
            r.get("calendar_time_zone", String.class),
            false);
    return new SourceRow(
        r.get("grp", String.class),
        event,
        r.get("user_id", String.class),
        Boolean.TRUE.equals(r.get("deleted", Boolean.class)),
        r.get("generation", Long.class),
        r.get("original_start_at", OffsetDateTime.class),
        r.get("original_start_date", LocalDate.class));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static <T, V> V[] column(
      Collection<T> rows, Function<T, V> value, java.util.function.IntFunction<V[]> array) {
    return rows.stream().map(value).toArray(array);
  }
}
