package io.calsync.query.upcoming.persistence;

import io.calsync.query.upcoming.domain.Occurrence;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.UpcomingEventStore;
import io.calsync.query.upcoming.domain.When;
import io.calsync.query.upcoming.domain.Window;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/**
 * Reads the caller's materialized occurrences (V4, V6): one statement, each half a range of {@code
 * occurrences_upcoming_idx} read in order and stopped at the limit (timed ones by instant, all-day
 * ones by date: how the two interleave depends on the caller's zone, so Java merges them), then the
 * content of the few rows kept by primary key.
 */
@Repository
class R2dbcUpcomingEventStore implements UpcomingEventStore {

  /**
   * The caller's listed rows: {@code visible} (V6) is false on rows of hidden calendars and
   * inactive connections, and the index is partial on it.
   */
  private static final String VISIBLE =
      """
      where o.user_id = :user and o.visible
      """;

  static final String QUERY =
      """
      select o.connection_id, o.calendar_id, o.id, o.all_day, o.start_key, o.end_key, o.end_at,
             coalesce(o.time_zone, c.time_zone) as time_zone, o.recurring_event_id,
             e.event_id, e.status, e.title, e.description, e.location, e.html_link,
             c.name as calendar_name, c.color as calendar_color, c.time_zone as calendar_time_zone,
             c.access_role as calendar_access_role
        from (
          (select o.* from occurrences o
      """
          + VISIBLE
          + """
               and not o.all_day and o.start_key < :to and o.end_key >= :from
               and (o.end_key > :from or o.start_key >= :from)
             order by o.start_key, o.id
             limit :limit)
          union all
          (select o.* from occurrences o
      """
          + VISIBLE
          + """
               and o.all_day and o.start_key <= :lastDay and o.end_key > :firstDay
             order by o.start_key, o.id
             limit :limit)
        ) o
        join events e on e.connection_id = o.connection_id and e.calendar_id = o.calendar_id
                     and e.event_id = o.event_id
        left join calendars c on c.connection_id = o.connection_id and c.calendar_id = o.calendar_id
      """;

  /** Google's access role of a calendar that shows only free/busy times. */
  static final String FREE_BUSY_READER = "freeBusyReader";

  private final DatabaseClient db;

  R2dbcUpcomingEventStore(DatabaseClient db) {
    this.db = db;
  }

  @Override
  public Flux<Occurrence> occurrences(String userId, Window window, int limit) {
    return db.sql(QUERY)
        .bind("user", userId)
        .bind("from", window.from().toOffsetDateTime())
        .bind("to", window.to().toOffsetDateTime())
        .bind("firstDay", midnight(window.firstDate()))
        .bind("lastDay", midnight(window.lastDate()))
        .bind("limit", limit)
        .map(R2dbcUpcomingEventStore::occurrence)
        .all();
  }

  private static OffsetDateTime midnight(LocalDate date) {
    return date.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  private static Occurrence occurrence(Readable row) {
    boolean allDay = Boolean.TRUE.equals(row.get("all_day", Boolean.class));
    Instant startKey = row.get("start_key", OffsetDateTime.class).toInstant();
    String zone = row.get("time_zone", String.class);
    When start;
    When end;
    if (allDay) {
      start = When.allDay(LocalDate.ofInstant(startKey, ZoneOffset.UTC), zone);
      end =
          When.allDay(
              LocalDate.ofInstant(
                  row.get("end_key", OffsetDateTime.class).toInstant(), ZoneOffset.UTC),
              zone);
    } else {
      start = When.timed(startKey, ZoneOffset.UTC, zone);
      end = When.timed(row.get("end_at", OffsetDateTime.class).toInstant(), ZoneOffset.UTC, zone);
    }
    StoredEvent source =
        new StoredEvent(
            row.get("connection_id", UUID.class),
            row.get("calendar_id", UUID.class),
            row.get("event_id", String.class),
            row.get("status", String.class),
            row.get("title", String.class),
            row.get("description", String.class),
            row.get("location", String.class),
            start,
            end,
            allDay,
            null,
            row.get("recurring_event_id", String.class),
            row.get("html_link", String.class),
            row.get("calendar_name", String.class),
            row.get("calendar_color", String.class),
            row.get("calendar_time_zone", String.class),
            FREE_BUSY_READER.equals(row.get("calendar_access_role", String.class)));
    return new Occurrence(
        row.get("id", String.class),
        source,
        start,
        end,
        zone,
        row.get("recurring_event_id", String.class),
        startKey);
  }
}
