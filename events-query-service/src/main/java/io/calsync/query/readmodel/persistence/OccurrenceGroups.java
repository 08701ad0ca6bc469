package io.calsync.query.readmodel.persistence;

import io.calsync.query.upcoming.domain.Occurrence;
import io.calsync.query.upcoming.domain.OccurrenceBuilder;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.SeriesException;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.When;
import io.calsync.query.upcoming.domain.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one group of events rows (a series: its master and every row naming it as {@code
 * recurring_event_id}; or a lone event) materializes to, by the read model's rules: a deleted or
 * cancelled head hides its whole group (exceptions of a deleted series too), a live master expands
 * over the horizon with its exceptions (moved, edited, cancelled, tombstones) standing in for the
 * instances they replace, and visible exceptions and events are occurrences of their own.
 */
final class OccurrenceGroups {

  private static final String CANCELLED = "cancelled";

  private OccurrenceGroups() {}

  /** A group's key: the series id, or the lone event's id. */
  record GroupKey(UUID connectionId, UUID calendarId, String groupId) {}

  /** An events row as far as materializing needs it. */
  record SourceRow(
      String groupId,
      StoredEvent event,
      String userId,
      boolean deleted,
      long generation,
      OffsetDateTime originalStartAt,
      LocalDate originalStartDate) {

    boolean visible() {
      return !deleted && !CANCELLED.equals(event.status());
    }
  }

  /** A row of {@code occurrences}. */
  record OccurrenceRow(
      GroupKey group,
      String id,
      String eventId,
      String userId,
      boolean allDay,
      Instant startKey,
      Instant endKey,
      Instant endAt,
      String timeZone,
      String recurringEventId,
      long sourceGeneration) {}

  /** A row of {@code occurrence_series}. */
  record SeriesRow(
      GroupKey group,
      String userId,
      Instant expandedUntil,
      long minGeneration,
      boolean zoneFromCalendar) {}

  /** The rows of one group, and whether the group keeps a row in {@code occurrence_series}. */
  record Materialized(List<OccurrenceRow> occurrences, SeriesRow series) {}

  static Materialized materialize(
      OccurrenceBuilder builder, Window horizon, GroupKey key, List<SourceRow> rows) {
    SourceRow head = null;
    List<SourceRow> members = new ArrayList<>();
    for (SourceRow row : rows) {
      if (row.event().recurringEventId() == null && row.event().eventId().equals(key.groupId())) {
        head = row;
      } else {
        members.add(row);
      }
    }
    if (rows.isEmpty()) {
      return new Materialized(List.of(), null);
    }
    boolean liveMaster = head != null && head.visible() && head.event().isSeriesMaster();
    List<StoredEvent> singles = new ArrayList<>();
    List<StoredEvent> masters = new ArrayList<>();
    List<SeriesException> exceptions = new ArrayList<>();
    if (head == null || head.visible()) {
      if (liveMaster) {
        masters.add(head.event());
      } else if (head != null) {
        singles.add(head.event());
      }
      for (SourceRow member : members) {
        if (member.visible()) {
          singles.add(member.event());
        }
        exceptions.add(
            new SeriesException(
                key.connectionId(),
                key.calendarId(),
                key.groupId(),
                member.originalStartAt() == null ? null : member.originalStartAt().toInstant(),
                member.originalStartDate()));
      }
    }
    OccurrenceBuilder.Plan plan = builder.build(horizon, singles, masters, exceptions);
    long minGeneration = rows.stream().mapToLong(SourceRow::generation).min().orElse(0);
    Map<String, String> users =
        rows.stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    r -> r.event().eventId(), SourceRow::userId, (a, b) -> a));
    List<OccurrenceRow> out = new ArrayList<>();
    for (Occurrence o : plan.occurrences()) {
      out.add(row(key, o, users.get(o.source().eventId()), minGeneration));
    }
    SeriesRow series =
        rows.size() > 1 || liveMaster
            ? new SeriesRow(
                key,
                (head != null ? head : rows.get(0)).userId(),
                liveMaster ? plan.expandedUntil() : null,
                minGeneration,
                liveMaster && RecurrenceExpander.usesCalendarZone(head.event()))
            : null;
    return new Materialized(out, series);
  }

  private static OccurrenceRow row(GroupKey key, Occurrence o, String userId, long generation) {
    boolean instance = !o.id().equals(o.source().eventId());
    String zone = instance ? o.timeZone() : o.source().start().timeZone();
    if (o.start().isDate()) {
      LocalDate start = o.start().date();
      LocalDate end =
          o.end() != null && o.end().isDate() && o.end().date().isAfter(start)
              ? o.end().date()
              : start.plusDays(1);
      return new OccurrenceRow(
          key,
          o.id(),
          o.source().eventId(),
          userId,
          true,
          midnight(start),
          midnight(end),
          null,
          zone,
          o.recurringEventId(),
          generation);
    }
    Instant start = o.start().instant();
    Instant end = o.end().instant();
    return new OccurrenceRow(
        key,
        o.id(),
        o.source().eventId(),
        userId,
        false,
        start,
        end.isAfter(start) ? end : start,
        end,
        zone,
        o.recurringEventId(),
        generation);
  }

  private static Instant midnight(LocalDate date) {
    return date.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** A stored start or end as the domain reads it. */
  static When when(OffsetDateTime at, Integer offsetSeconds, LocalDate date, String zone) {
    if (date != null) {
      return When.allDay(date, zone);
    }
    if (at == null) {
      return null;
    }
    return When.timed(
        at.toInstant(),
        offsetSeconds == null ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetSeconds),
        zone);
  }
}
