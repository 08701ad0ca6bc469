package io.calsync.sync.persistence;

import io.calsync.sync.model.CalendarAttributes;
import io.calsync.sync.model.CalendarPalette;
import io.calsync.sync.model.SyncedCalendar;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class CalendarRepository {

  private static final String COLUMNS =
      "c.id, c.connection_id, c.provider_calendar_id, c.name,"
          + " coalesce(c.user_color, c.color, c.palette_color) as color,"
          + " c.time_zone, c.access_role,"
          + " c.is_primary, c.selected, c.removed, c.published_fingerprint";

  private final DatabaseClient db;

  CalendarRepository(DatabaseClient db) {
    this.db = db;
  }

  /**
   * Inserts a calendar Google listed, or updates its attributes (a removed one comes back). The
   * platform id is generated on first sight and stays. Its sync-state row is created too. A
   * calendar Google gives no colour takes, once, the {@link CalendarPalette} colour that its user's
   * visible calendars use least (the earliest on ties), so that they differ.
   */
  public Mono<SyncedCalendar> upsert(UUID connectionId, CalendarAttributes a, Instant now) {
    var spec =
        db.sql(
                """
                insert into calendars as c (id, connection_id, provider_calendar_id, name, color,
                  time_zone, access_role, is_primary, selected, removed, created_at, updated_at,
                  palette_color)
                values (:id, :conn, :pid, :name, :color, :tz, :role, :primary, true, false, :now, :now,
                  case when cast(:color as text) is null then (
                    select p.color
                    from unnest(cast(:palette as text[])) with ordinality as p (color, n)
                    order by (
                      select count(*) from calendars o join connections k on k.id = o.connection_id
                      where k.user_id = (select user_id from connections where id = :conn)
                        and not o.removed
                        and lower(coalesce(o.user_color, o.color, o.palette_color)) = p.color), p.n
                    limit 1) end)
                on conflict (connection_id, provider_calendar_id) do update set
                  name = excluded.name, color = excluded.color, time_zone = excluded.time_zone,
                  access_role = excluded.access_role, is_primary = excluded.is_primary,
                  removed = false, updated_at = excluded.updated_at,
                  palette_color = coalesce(c.palette_color, excluded.palette_color)
                returning
                """
                    + " "
                    + COLUMNS)
            .bind("id", UUID.randomUUID())
            .bind("conn", connectionId)
            .bind("pid", a.providerCalendarId())
            .bind("primary", a.primary())
            .bind("now", now)
            .bind("palette", CalendarPalette.COLORS.toArray(String[]::new));
    spec = bindNullable(spec, "name", a.name());
    spec = bindNullable(spec, "color", a.color());
    spec = bindNullable(spec, "tz", a.timeZone());
    spec = bindNullable(spec, "role", a.accessRole());
    return spec.map(CalendarRepository::map)
        .one()
        .flatMap(
            cal ->
                db.sql(
                        "insert into calendar_sync_state (calendar_id) values (:id) on conflict do nothing")
                    .bind("id", cal.id())
                    .fetch()
                    .rowsUpdated()
                    .thenReturn(cal));
  }

  public Flux<SyncedCalendar> findByConnection(UUID connectionId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from calendars c where c.connection_id = :conn order by c.created_at, c.id")
        .bind("conn", connectionId)
        .map(CalendarRepository::map)
        .all();
  }

  public Mono<SyncedCalendar> find(UUID id) {
    return db.sql("select " + COLUMNS + " from calendars c where c.id = :id")
        .bind("id", id)
        .map(CalendarRepository::map)
        .one();
  }

  /** Calendars of the user's connections that Google still lists. */
  public Flux<SyncedCalendar> findVisibleForUser(String userId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from calendars c join connections k on k.id = c.connection_id"
                + " where k.user_id = :user and not c.removed"
                + " order by k.created_at, k.id, c.is_primary desc, c.name, c.id")
        .bind("user", userId)
        .map(CalendarRepository::map)
        .all();
  }

  public Mono<SyncedCalendar> findVisibleForUser(UUID id, String userId) {
    return db.sql(
            "select "
                + COLUMNS
                + " from calendars c join connections k on k.id = c.connection_id"
                + " where c.id = :id and k.user_id = :user and not c.removed")
        .bind("id", id)
        .bind("user", userId)
        .map(CalendarRepository::map)
        .one();
  }

  /** True while the calendar should still be synced (exists, selected, not removed). */
  public Mono<Boolean> isSyncable(UUID id) {
    return db.sql("select 1 from calendars where id = :id and selected and not removed")
        .bind("id", id)
        .map(r -> 1)
        .first()
        .hasElement();
  }

  /**
   * Sets the selection; a deselected calendar forgets its sync token (selecting again = full sync).
   */
  public Mono<SyncedCalendar> setSelected(UUID id, boolean selected, Instant now) {
    return db.sql(
            "update calendars c set selected = :selected, updated_at = :now where c.id = :id returning "
                + COLUMNS)
        .bind("id", id)
        .bind("selected", selected)
        .bind("now", now)
        .map(CalendarRepository::map)
        .one()
        .flatMap(
            cal ->
                selected
                    ? Mono.just(cal)
                    : db.sql(
                            "update calendar_sync_state set sync_token = null where calendar_id = :id")
                        .bind("id", id)
                        .fetch()
                        .rowsUpdated()
                        .thenReturn(cal));
  }

  /** Sets the colour the user chose ({@code #rrggbb}); it wins over Google's from now on. */
  public Mono<SyncedCalendar> setUserColor(UUID id, String color, Instant now) {
    return db.sql(
            "update calendars c set user_color = :color, updated_at = :now where c.id = :id returning "
                + COLUMNS)
        .bind("id", id)
        .bind("color", color)
        .bind("now", now)
        .map(CalendarRepository::map)
        .one();
  }

  /** Google no longer lists (or knows) the calendar. Its sync token goes. */
  public Mono<SyncedCalendar> markRemoved(UUID id, Instant now) {
    return db.sql(
            "update calendars c set removed = true, updated_at = :now where c.id = :id returning "
                + COLUMNS)
        .bind("id", id)
        .bind("now", now)
        .map(CalendarRepository::map)
        .one()
        .flatMap(
            cal ->
                db.sql(
                        "update calendar_sync_state set sync_token = null, state = 'idle' where calendar_id = :id")
                    .bind("id", id)
                    .fetch()
                    .rowsUpdated()
                    .thenReturn(cal));
  }

  /** Records that the calendar's current attributes were announced and acknowledged. */
  public Mono<Void> markPublished(UUID id, String fingerprint) {
    return db.sql("update calendars set published_fingerprint = :fp where id = :id")
        .bind("id", id)
        .bind("fp", fingerprint)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static DatabaseClient.GenericExecuteSpec bindNullable(
      DatabaseClient.GenericExecuteSpec spec, String name, String value) {
    return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value);
  }

  private static SyncedCalendar map(Readable row) {
    return new SyncedCalendar(
        row.get("id", UUID.class),
        row.get("connection_id", UUID.class),
        row.get("provider_calendar_id", String.class),
        row.get("name", String.class),
        row.get("color", String.class),
        row.get("time_zone", String.class),
        row.get("access_role", String.class),
        Boolean.TRUE.equals(row.get("is_primary", Boolean.class)),
        Boolean.TRUE.equals(row.get("selected", Boolean.class)),
        Boolean.TRUE.equals(row.get("removed", Boolean.class)),
        row.get("published_fingerprint", String.class));
  }
}
