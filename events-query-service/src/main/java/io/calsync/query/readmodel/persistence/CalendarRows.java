package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.CalendarRow;
import io.calsync.query.readmodel.domain.RowKeys.CalendarKey;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads and writes rows of {@code calendars}, many per statement; decides nothing. */
@Repository
class CalendarRows {

  private final DatabaseClient db;

  CalendarRows(DatabaseClient db) {
    this.db = db;
  }

  Flux<CalendarRow> find(Collection<CalendarKey> keys) {
    if (keys.isEmpty()) {
      return Flux.empty();
    }
    return db.sql(
            """
            select c.connection_id, c.calendar_id, user_id, name, color, time_zone, access_role, selected, removed,
                   snapshot_generation, completed_generation, updated_at
              from jsonb_to_recordset(cast(:keys as jsonb)) as k(connection_id uuid, calendar_id uuid)
             cross join lateral (select * from calendars c
                                  where c.connection_id = k.connection_id and c.calendar_id = k.calendar_id offset 0) c
            """)
        .bind(
            "keys",
            JsonRows.of(
                List.copyOf(keys),
                (key, r) ->
                    r.put("connection_id", key.connectionId())
                        .put("calendar_id", key.calendarId())))
        .map(
            row ->
                new CalendarRow(
                    row.get("connection_id", UUID.class),
                    row.get("calendar_id", UUID.class),
                    row.get("user_id", String.class),
                    row.get("name", String.class),
                    row.get("color", String.class),
                    row.get("time_zone", String.class),
                    row.get("access_role", String.class),
                    Boolean.TRUE.equals(row.get("selected", Boolean.class)),
                    Boolean.TRUE.equals(row.get("removed", Boolean.class)),
                    row.get("snapshot_generation", Long.class),
                    row.get("completed_generation", Long.class),
                    row.get("updated_at", OffsetDateTime.class)))
        .all();
  }

  Mono<Void> put(List<CalendarRow> rows) {
    if (rows.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            """
            insert into calendars (connection_id, calendar_id, user_id, name, color, time_zone, access_role,
                                   selected, removed, snapshot_generation, completed_generation, updated_at)
            select connection_id, calendar_id, user_id, name, color, time_zone, access_role, selected, removed,
                   snapshot_generation, completed_generation, updated_at
              from jsonb_to_recordset(cast(:rows as jsonb))
                as r(connection_id uuid, calendar_id uuid, user_id text, name text, color text, time_zone text,
                     access_role text, selected boolean, removed boolean, snapshot_generation bigint,
                     completed_generation bigint, updated_at timestamptz)
            on conflict (connection_id, calendar_id) do update
               set user_id = excluded.user_id, name = excluded.name, color = excluded.color,
                   time_zone = excluded.time_zone, access_role = excluded.access_role, selected = excluded.selected, removed = excluded.removed,
                   snapshot_generation = excluded.snapshot_generation,
                   completed_generation = excluded.completed_generation, updated_at = excluded.updated_at
            """)
        .bind(
            "rows",
            JsonRows.of(
                rows,
                (row, r) ->
                    r.put("connection_id", row.connectionId())
                        .put("calendar_id", row.calendarId())
                        .put("user_id", row.userId())
                        .put("name", row.name())
                        .put("color", row.color())
                        .put("time_zone", row.timeZone())
                        .put("access_role", row.accessRole())
                        .put("selected", row.selected())
                        .put("removed", row.removed())
                        .put("snapshot_generation", row.snapshotGeneration())
                        .put("completed_generation", row.completedGeneration())
                        .put("updated_at", row.updatedAt())))
        .fetch()
        .rowsUpdated()
        .then();
  }

  Mono<Void> deleteOfConnection(UUID connectionId) {
    return db.sql("delete from calendars where connection_id = :c")
        .bind("c", connectionId)
        .fetch()
        .rowsUpdated()
        .then();
  }
}
