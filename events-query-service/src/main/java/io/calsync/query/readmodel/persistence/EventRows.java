package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.EventRow;
import io.calsync.query.readmodel.domain.RowKeys.EventKey;
import io.r2dbc.spi.Readable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code events}, many per statement; decides nothing. */
@Repository
class EventRows {

  private static final String COLUMNS =
      """
      connection_id, calendar_id, event_id, user_id, status, title, description, location,
      start_at, start_offset_seconds, start_date, start_time_zone, end_at, end_offset_seconds, end_date,
      end_time_zone, all_day, recurrence, recurring_event_id, original_start_at, original_start_date, html_link,
      source_updated, etag, generation, deleted, series_end_at, series_end_date
      """;

  private static final String TYPED_COLUMNS =
      """
      connection_id uuid, calendar_id uuid, event_id text, user_id text, status text, title text,
      description text, location text, start_at timestamptz, start_offset_seconds integer, start_date date,
      start_time_zone text, end_at timestamptz, end_offset_seconds integer, end_date date, end_time_zone text,
      all_day boolean, recurrence text[], recurring_event_id text, original_start_at timestamptz,
      original_start_date date, html_link text, source_updated timestamptz, etag text, generation bigint,
      deleted boolean, series_end_at timestamptz, series_end_date date
      """;

  /** The stored rows of a batch's keys, one primary-key probe per key (ReadModelWriter). */
  static final String FIND =
      """
            select e.connection_id, e.calendar_id, e.event_id, user_id, status, title, description, location,
                   start_at, start_offset_seconds, start_date, start_time_zone, end_at, end_offset_seconds,
                   end_date, end_time_zone, all_day, recurrence, recurring_event_id, original_start_at,
                   original_start_date, html_link, source_updated, etag, generation, deleted, series_end_at,
                   series_end_date
              from jsonb_to_recordset(cast(:keys as jsonb)) as k(connection_id uuid, calendar_id uuid, event_id text)
             cross join lateral (select * from events e
                                  where e.connection_id = k.connection_id and e.calendar_id = k.calendar_id
                                    and e.event_id = k.event_id offset 0) e
            """;

  private final DatabaseClient db;

  EventRows(DatabaseClient db) {
    this.db = db;
  }

  Flux<EventRow> find(Collection<EventKey> keys) {
    if (keys.isEmpty()) {
      return Flux.empty();
    }
    return db.sql(FIND)
        .bind(
            "keys",
            JsonRows.of(
                List.copyOf(keys),
                (key, r) ->
                    r.put("connection_id", key.connectionId())
                        .put("calendar_id", key.calendarId())
                        .put("event_id", key.eventId())))
        .map(EventRows::row)
        .all();
  }

  Mono<Void> put(List<EventRow> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "insert into events ("
                + COLUMNS
                + ") select "
                + COLUMNS
                + " from jsonb_to_recordset(cast(:rows as jsonb)) as r("
                + TYPED_COLUMNS
                + ")"
                + """
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
                    generation = excluded.generation, deleted = excluded.deleted,
                    series_end_at = excluded.series_end_at, series_end_date = excluded.series_end_date
                """)
        .bind("rows", JsonRows.of(rows, EventRows::columns))
        .fetch()
        .rowsUpdated()
        .then();
  }

  Mono<Void> deleteOfCalendar(UUID connectionId, UUID calendarId) {
    return db.sql("delete from events where connection_id = :c and calendar_id = :cal")
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  Mono<Void> deleteBefore(UUID connectionId, UUID calendarId, long generation) {
    return db.sql(
            "delete from events where connection_id = :c and calendar_id = :cal and generation < :gen")
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .bind("gen", generation)
        .fetch()
        .rowsUpdated()
        .then();
  }

  Mono<Void> deleteOfConnection(UUID connectionId) {
    return db.sql("delete from events where connection_id = :c")
        .bind("c", connectionId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static void columns(EventRow row, JsonRows.Row r) {
    r.put("connection_id", row.connectionId())
        .put("calendar_id", row.calendarId())
        .put("event_id", row.eventId())
        .put("user_id", row.userId())
        .put("status", row.status())
        .put("title", row.title())
        .put("description", row.description())
        .put("location", row.location())
        .put("start_at", row.startAt())
        .put("start_offset_seconds", row.startOffsetSeconds())
        .put("start_date", row.startDate())
        .put("start_time_zone", row.startTimeZone())
        .put("end_at", row.endAt())
        .put("end_offset_seconds", row.endOffsetSeconds())
        .put("end_date", row.endDate())
        .put("end_time_zone", row.endTimeZone())
        .put("all_day", row.allDay())
        .put("recurrence", row.recurrence())
        .put("recurring_event_id", row.recurringEventId())
        .put("original_start_at", row.originalStartAt())
        .put("original_start_date", row.originalStartDate())
        .put("html_link", row.htmlLink())
        .put("source_updated", row.sourceUpdated())
        .put("etag", row.etag())
        .put("generation", row.generation())
        .put("deleted", row.deleted())
        .put("series_end_at", row.seriesEndAt())
        .put("series_end_date", row.seriesEndDate());
  }

  private static EventRow row(Readable r) {
    String[] recurrence = r.get("recurrence", String[].class);
    return new EventRow(
        r.get("connection_id", UUID.class),
        r.get("calendar_id", UUID.class),
        r.get("event_id", String.class),
        r.get("user_id", String.class),
        r.get("status", String.class),
        r.get("title", String.class),
        r.get("description", String.class),
        r.get("location", String.class),
        r.get("start_at", OffsetDateTime.class),
        r.get("start_offset_seconds", Integer.class),
        r.get("start_date", LocalDate.class),
        r.get("start_time_zone", String.class),
        r.get("end_at", OffsetDateTime.class),
        r.get("end_offset_seconds", Integer.class),
        r.get("end_date", LocalDate.class),
        r.get("end_time_zone", String.class),
        Boolean.TRUE.equals(r.get("all_day", Boolean.class)),
        recurrence == null ? null : List.of(recurrence),
        r.get("recurring_event_id", String.class),
        r.get("original_start_at", OffsetDateTime.class),
        r.get("original_start_date", LocalDate.class),
        r.get("html_link", String.class),
        r.get("source_updated", OffsetDateTime.class),
        r.get("etag", String.class),
        r.get("generation", Long.class),
        Boolean.TRUE.equals(r.get("deleted", Boolean.class)),
        r.get("series_end_at", OffsetDateTime.class),
        r.get("series_end_date", LocalDate.class));
  }
}
