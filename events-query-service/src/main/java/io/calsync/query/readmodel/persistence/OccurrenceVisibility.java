package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.persistence.OccurrenceGroups.GroupKey;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps {@code occurrences.visible} (V6) true to the connections and calendars rows, so the
 * upcoming query reads one range of a partial index instead of filtering hidden rows per request:
 * {@link Occurrences} sets it on insert, and calls this after a batch wrote connection or calendar
 * rows.
 */
@Component
class OccurrenceVisibility {

  /**
   * Whether the row aliased {@code %1$s} (with connection_id and calendar_id) is to be listed: its
   * connection is not inactive and its calendar is not hidden or removed. Rows of a connection or
   * calendar not known yet are listed, as the upcoming query always did.
   */
  private static final String VISIBLE =
      """
      (not exists (select 1 from connections k
                    where k.id = %1$s.connection_id and k.status <> 'active')
       and not exists (select 1 from calendars h
                        where h.connection_id = %1$s.connection_id and h.calendar_id = %1$s.calendar_id
                          and (not h.selected or h.removed)))""";

  /** The visibility expression for the row aliased {@code alias}. */
  static String of(String alias) {
    return VISIBLE.formatted(alias);
  }

  private final DatabaseClient db;

  OccurrenceVisibility(DatabaseClient db) {
    this.db = db;
  }

  /** Sets {@code visible} again on the rows of connections whose status may have changed. */
  Mono<Void> ofConnections(Set<UUID> connections) {
    if (connections.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "update occurrences o set visible = not o.visible"
                + " where o.connection_id = any(:c) and o.visible <> "
                + of("o"))
        .bind("c", connections.toArray(UUID[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Sets {@code visible} again on the rows of calendars whose row was written (shown, hidden or
   * removed), the calendar's visibility worked out once and only changed rows written.
   */
  Mono<Void> ofCalendars(Set<GroupKey> calendars) {
    if (calendars.isEmpty()) {
      return Mono.empty();
    }
    return db.sql(
            "update occurrences o set visible = k.visible from (select u.connection_id,"
                + " u.calendar_id, "
                + of("u")
                + " as visible from unnest(:c::uuid[], :cal::uuid[]) as u(connection_id,"
                + " calendar_id)) k where o.connection_id = k.connection_id"
                + " and o.calendar_id = k.calendar_id and o.visible <> k.visible")
        .bind("c", calendars.stream().map(GroupKey::connectionId).toArray(UUID[]::new))
        .bind("cal", calendars.stream().map(GroupKey::calendarId).toArray(UUID[]::new))
        .fetch()
        .rowsUpdated()
        .then();
  }
}
