package io.calsync.query.readmodel.persistence;

import static io.calsync.query.readmodel.persistence.Binding.bind;

import io.calsync.query.readmodel.domain.CalendarRow;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code calendars}; decides nothing. */
@Repository
class CalendarRows {

  private final DatabaseClient db;

  CalendarRows(DatabaseClient db) {
    this.db = db;
  }

  Mono<CalendarRow> find(UUID connectionId, UUID calendarId) {
    return db.sql(
            """
            select connection_id, calendar_id, user_id, name, color, time_zone, selected, removed,
                   snapshot_generation, completed_generation, updated_at
              from calendars where connection_id = :c and calendar_id = :cal
            """)
        .bind("c", connectionId)
        .bind("cal", calendarId)
        .map(
            row ->
                new CalendarRow(
                    row.get("connection_id", UUID.class),
                    row.get("calendar_id", UUID.class),
                    row.get("user_id", String.class),
                    row.get("name", String.class),
                    row.get("color", String.class),
                    row.get("time_zone", String.class),
                    Boolean.TRUE.equals(row.get("selected", Boolean.class)),
                    Boolean.TRUE.equals(row.get("removed", Boolean.class)),
                    row.get("snapshot_generation", Long.class),
                    row.get("completed_generation", Long.class),
                    row.get("updated_at", OffsetDateTime.class)))
        .one();
  }

  Mono<Void> put(CalendarRow row) {
    GenericExecuteSpec spec =
        db.sql(
                """
                insert into calendars (connection_id, calendar_id, user_id, name, color, time_zone, selected, removed,
                                       snapshot_generation, completed_generation, updated_at)
                values (:c, :cal, :user, :name, :color, :tz, :selected, :removed, :snapshot, :completed, :at)
                on conflict (connection_id, calendar_id) do update
                   set user_id = excluded.user_id, name = excluded.name, color = excluded.color,
                       time_zone = excluded.time_zone, selected = excluded.selected, removed = excluded.removed,
                       snapshot_generation = excluded.snapshot_generation,
                       completed_generation = excluded.completed_generation, updated_at = excluded.updated_at
                """)
            .bind("c", row.connectionId())
            .bind("cal", row.calendarId())
            .bind("user", row.userId())
            .bind("selected", row.selected())
            .bind("removed", row.removed());
    spec = bind(spec, "name", row.name(), String.class);
    spec = bind(spec, "color", row.color(), String.class);
    spec = bind(spec, "tz", row.timeZone(), String.class);
    spec = bind(spec, "snapshot", row.snapshotGeneration(), Long.class);
    spec = bind(spec, "completed", row.completedGeneration(), Long.class);
    spec = bind(spec, "at", row.updatedAt(), OffsetDateTime.class);
    return spec.fetch().rowsUpdated().then();
  }

  Mono<Void> deleteOfConnection(UUID connectionId) {
    return db.sql("delete from calendars where connection_id = :c")
        .bind("c", connectionId)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
