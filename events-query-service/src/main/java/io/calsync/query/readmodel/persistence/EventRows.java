package io.calsync.query.readmodel.persistence;

import static io.calsync.query.readmodel.persistence.Binding.bind;

import io.calsync.query.readmodel.domain.EventRow;
import io.r2dbc.spi.Readable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code events}; decides nothing. */
@Repository
class EventRows {

  private static final String COLUMNS =
      """
      connection_id, calendar_id, event_id, user_id, status, title, description, location,
      start_at, start_offset_seconds, start_date, start_time_zone, end_at, end_offset_seconds, end_date,
      end_time_zone, all_day, recurrence, recurring_event_id, original_start_at, original_start_date, html_link,
      source_updated, etag, generation, deleted, series_end_at, series_end_date
      """;

  private final DatabaseClient db;

  EventRows(DatabaseClient db) {
    this.db = db;
  }

  Mono<EventRow> find(UUID connectionId, UUID calendarId, String eventId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from events where connection_id = :c and calendar_id = :cal and event_id = :id")
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .bind("id", eventId)
        .map(EventRows::row)
        .one();
  }

  Mono<Void> put(EventRow row) {
    GenericExecuteSpec spec =
        db.sql(
                "insert into events ("
                    + COLUMNS
                    + ")"
                    + """
                    values (:c, :cal, :id, :user, :status, :title, :description, :location,
                        :startAt, :startOffset, :startDate, :startTz, :endAt, :endOffset, :endDate,
                        :endTz, :allDay, :recurrence, :recurringEventId, :originalStartAt, :originalStartDate, :htmlLink,
                        :updated, :etag, :gen, :deleted, :seriesEndAt, :seriesEndDate)
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
            .bind("c", row.connectionId())
            .bind("cal", row.calendarId())
            .bind("id", row.eventId())
            .bind("user", row.userId())
            .bind("status", row.status())
            .bind("allDay", row.allDay())
            .bind("updated", row.sourceUpdated())
            .bind("gen", row.generation())
            .bind("deleted", row.deleted());
    spec = bind(spec, "title", row.title(), String.class);
    spec = bind(spec, "description", row.description(), String.class);
    spec = bind(spec, "location", row.location(), String.class);
    spec = bind(spec, "startAt", row.startAt(), OffsetDateTime.class);
    spec = bind(spec, "startOffset", row.startOffsetSeconds(), Integer.class);
    spec = bind(spec, "startDate", row.startDate(), LocalDate.class);
    spec = bind(spec, "startTz", row.startTimeZone(), String.class);
    spec = bind(spec, "endAt", row.endAt(), OffsetDateTime.class);
    spec = bind(spec, "endOffset", row.endOffsetSeconds(), Integer.class);
    spec = bind(spec, "endDate", row.endDate(), LocalDate.class);
    spec = bind(spec, "endTz", row.endTimeZone(), String.class);
    spec =
        bind(
            spec,
            "recurrence",
            row.recurrence() == null ? null : row.recurrence().toArray(String[]::new),
            String[].class);
    spec = bind(spec, "recurringEventId", row.recurringEventId(), String.class);
    spec = bind(spec, "originalStartAt", row.originalStartAt(), OffsetDateTime.class);
    spec = bind(spec, "originalStartDate", row.originalStartDate(), LocalDate.class);
    spec = bind(spec, "htmlLink", row.htmlLink(), String.class);
    spec = bind(spec, "etag", row.etag(), String.class);
    spec = bind(spec, "seriesEndAt", row.seriesEndAt(), OffsetDateTime.class);
    spec = bind(spec, "seriesEndDate", row.seriesEndDate(), LocalDate.class);
    return spec.fetch().rowsUpdated().then();
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
