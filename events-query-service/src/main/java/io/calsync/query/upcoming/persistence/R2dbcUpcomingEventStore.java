package io.calsync.query.upcoming.persistence;

import io.calsync.query.upcoming.domain.SeriesException;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.UpcomingEventStore;
import io.calsync.query.upcoming.domain.When;
import io.calsync.query.upcoming.domain.Window;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** Reads the upcoming-events candidates with SQL that uses the partial indexes of V1. */
@Repository
class R2dbcUpcomingEventStore implements UpcomingEventStore {

  private static final String SELECT =
      """
      select e.connection_id, e.calendar_id, e.event_id, e.status, e.title, e.description, e.location,
             e.start_at, e.start_offset_seconds, e.start_date, e.start_time_zone,
             e.end_at, e.end_offset_seconds, e.end_date, e.end_time_zone,
             e.all_day, e.recurrence, e.recurring_event_id, e.html_link,
             c.name as calendar_name, c.color as calendar_color, c.time_zone as calendar_time_zone
        from events e
        left join calendars c on c.connection_id = e.connection_id and c.calendar_id = e.calendar_id
        left join connections n on n.id = e.connection_id
       where e.user_id = :user
         and not e.deleted
         and e.status <> 'cancelled'
         and (c.calendar_id is null or (c.selected and not c.removed))
         and (n.id is null or n.status = 'active')
      """;

  private static final String NOT_OF_DELETED_SERIES =
      """
         and (e.recurring_event_id is null or not exists (
               select 1 from events m
                where m.connection_id = e.connection_id and m.calendar_id = e.calendar_id
                  and m.event_id = e.recurring_event_id and (m.deleted or m.status = 'cancelled')))
      """;

  private final DatabaseClient db;

  R2dbcUpcomingEventStore(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Flux<StoredEvent> singles(String userId, Window window, int limit) {
    Flux<StoredEvent> timed =
        db.sql(
                SELECT
                    + NOT_OF_DELETED_SERIES
                    + """
                       and e.recurrence is null and not e.all_day
                       and e.start_at < :to and (e.end_at > :from or e.start_at >= :from)
                     order by e.start_at, e.event_id
                     limit :limit
                    """)
            .bind("user", userId)
            .bind("from", window.from().toOffsetDateTime())
            .bind("to", window.to().toOffsetDateTime())
            .bind("limit", limit)
            .map(R2dbcUpcomingEventStore::event)
            .all();
    Flux<StoredEvent> allDay =
        db.sql(
                SELECT
                    + NOT_OF_DELETED_SERIES
                    + """
                       and e.recurrence is null and e.all_day
                       and e.start_date <= :lastDate and greatest(e.end_date, e.start_date + 1) > :firstDate
                     order by e.start_date, e.event_id
                     limit :limit
                    """)
            .bind("user", userId)
            .bind("firstDate", window.firstDate())
            .bind("lastDate", window.lastDate())
            .bind("limit", limit)
            .map(R2dbcUpcomingEventStore::event)
            .all();
    return Flux.concat(timed, allDay);
  }

  @Override
  public Flux<StoredEvent> masters(String userId, Window window) {
    return db.sql(
            SELECT
                + """
                   and e.recurrence is not null
                   and ((not e.all_day and e.start_at < :to) or (e.all_day and e.start_date <= :lastDate))
                   and (e.series_end_at is null or e.series_end_at > :endedBefore)
                   and (e.series_end_date is null or e.series_end_date > :endedBeforeDate)
                 order by e.connection_id, e.calendar_id, e.event_id
                """)
        .bind("user", userId)
        .bind("to", window.to().toOffsetDateTime())
        .bind("lastDate", window.lastDate())
        // a margin of two days: the series end was computed without the calendar's zone
        .bind("endedBefore", window.from().toOffsetDateTime().minusDays(2))
        .bind("endedBeforeDate", window.firstDate().minusDays(2))
        .map(R2dbcUpcomingEventStore::event)
        .all();
  }

  @Override
  public Flux<SeriesException> exceptions(Collection<StoredEvent> masters, Instant notBefore) {
    List<StoredEvent> list = List.copyOf(masters);
    UUID[] connections = list.stream().map(StoredEvent::connectionId).toArray(UUID[]::new);
    UUID[] calendars = list.stream().map(StoredEvent::calendarId).toArray(UUID[]::new);
    String[] ids = list.stream().map(StoredEvent::eventId).toArray(String[]::new);
    return db.sql(
            """
            select e.connection_id, e.calendar_id, e.recurring_event_id, e.original_start_at, e.original_start_date
              from events e
              join unnest(:connections::uuid[], :calendars::uuid[], :ids::text[]) as s(connection_id, calendar_id, event_id)
                on e.connection_id = s.connection_id and e.calendar_id = s.calendar_id
               and e.recurring_event_id = s.event_id
             where e.recurring_event_id is not null
               and (e.original_start_at >= :notBefore or e.original_start_date >= :notBeforeDate)
            """)
        .bind("connections", connections)
        .bind("calendars", calendars)
        .bind("ids", ids)
        .bind("notBefore", notBefore.atOffset(ZoneOffset.UTC))
        .bind("notBeforeDate", LocalDate.ofInstant(notBefore, ZoneOffset.UTC))
        .map(
            row ->
                new SeriesException(
                    row.get("connection_id", UUID.class),
                    row.get("calendar_id", UUID.class),
                    row.get("recurring_event_id", String.class),
                    instant(row.get("original_start_at", OffsetDateTime.class)),
                    row.get("original_start_date", LocalDate.class)))
        .all();
  }

  private static StoredEvent event(Readable row) {
    String[] recurrence = row.get("recurrence", String[].class);
    return new StoredEvent(
        row.get("connection_id", UUID.class),
        row.get("calendar_id", UUID.class),
        row.get("event_id", String.class),
        row.get("status", String.class),
        row.get("title", String.class),
        row.get("description", String.class),
        row.get("location", String.class),
        when(row, "start"),
        when(row, "end"),
        Boolean.TRUE.equals(row.get("all_day", Boolean.class)),
        recurrence == null ? null : Arrays.asList(recurrence),
        row.get("recurring_event_id", String.class),
        row.get("html_link", String.class),
        row.get("calendar_name", String.class),
        row.get("calendar_color", String.class),
        row.get("calendar_time_zone", String.class));
  }

  private static When when(Readable row, String prefix) {
    LocalDate date = row.get(prefix + "_date", LocalDate.class);
    String zone = row.get(prefix + "_time_zone", String.class);
    if (date != null) {
      return When.allDay(date, zone);
    }
    OffsetDateTime at = row.get(prefix + "_at", OffsetDateTime.class);
    if (at == null) {
      return null;
    }
    Integer offset = row.get(prefix + "_offset_seconds", Integer.class);
    return When.timed(
        at.toInstant(), offset == null ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offset), zone);
  }

  private static Instant instant(OffsetDateTime value) {
    return value == null ? null : value.toInstant();
  }
}
