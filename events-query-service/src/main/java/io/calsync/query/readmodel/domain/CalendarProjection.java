package io.calsync.query.readmodel.domain;

import static io.calsync.query.readmodel.domain.Projection.NONE;
import static io.calsync.query.readmodel.domain.Projection.announced;
import static io.calsync.query.readmodel.domain.Projection.silently;
import static io.calsync.query.readmodel.domain.ProjectionSupport.change;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.PutCalendar;
import io.calsync.query.stream.ReadModelChange;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The read model's rules for a calendar row (part of {@link ReadModelProjector}): settings and
 * removal, newer {@code occurred_at} wins; the snapshot generation in progress and the last one
 * completed, whose completion deletes the calendar's rows of older generations.
 */
final class CalendarProjection {

  private CalendarProjection() {}

  static Projection upserted(CalendarUpserted m, CalendarRow current, OffsetDateTime at) {
    CalendarRow row =
        new CalendarRow(
            m.connectionId(),
            m.calendarId(),
            m.userId(),
            m.name(),
            m.color(),
            m.timeZone(),
            m.accessRole(),
            m.selected(),
            false,
            current == null ? null : current.snapshotGeneration(),
            current == null ? null : current.completedGeneration(),
            at);
    boolean newer =
        current == null
            || current.updatedAt() == null
            || current.updatedAt().isBefore(at)
            || (current.updatedAt().isEqual(at) && !sameSettings(current, row));
    if (!newer) {
      return NONE;
    }
    ReadModelChange change =
        change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt());
    return m.selected()
        ? announced(change, new PutCalendar(row))
        : announced(
            change,
            new PutCalendar(row),
            new DeleteEventsOfCalendar(m.connectionId(), m.calendarId()));
  }

  private static boolean sameSettings(CalendarRow a, CalendarRow b) {
    return Objects.equals(a.name(), b.name())
        && Objects.equals(a.color(), b.color())
        && Objects.equals(a.timeZone(), b.timeZone())
        && Objects.equals(a.accessRole(), b.accessRole())
        && a.selected() == b.selected()
        && a.removed() == b.removed();
  }

  static Projection removed(CalendarRemoved m, CalendarRow current, OffsetDateTime at) {
    CalendarRow row =
        current == null
            ? new CalendarRow(
                m.connectionId(),
                m.calendarId(),
                m.userId(),
                null,
                null,
                null,
                null,
                false,
                true,
                null,
                null,
                at)
            : new CalendarRow(
                current.connectionId(),
                current.calendarId(),
                current.userId(),
                current.name(),
                current.color(),
                current.timeZone(),
                current.accessRole(),
                current.selected(),
                true,
                current.snapshotGeneration(),
                current.completedGeneration(),
                at);
    boolean newer =
        current == null
            || current.updatedAt() == null
            || current.updatedAt().isBefore(at)
            || (current.updatedAt().isEqual(at) && !current.removed());
    if (!newer) {
      return NONE;
    }
    return announced(
        change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt()),
        new PutCalendar(row),
        new DeleteEventsOfCalendar(m.connectionId(), m.calendarId()));
  }

  static Projection snapshotStarted(SnapshotStarted m, CalendarRow current) {
    if (current == null) {
      return silently(
          new PutCalendar(
              new CalendarRow(
                  m.connectionId(),
                  m.calendarId(),
                  m.userId(),
                  null,
                  null,
                  null,
                  null,
                  true,
                  false,
                  m.generation(),
                  null,
                  null)));
    }
    if (current.snapshotGeneration() != null && current.snapshotGeneration() >= m.generation()) {
      return NONE;
    }
    return silently(
        new PutCalendar(
            new CalendarRow(
                current.connectionId(),
                current.calendarId(),
                current.userId(),
                current.name(),
                current.color(),
                current.timeZone(),
                current.accessRole(),
                current.selected(),
                current.removed(),
                m.generation(),
                current.completedGeneration(),
                current.updatedAt())));
  }

  static Projection snapshotCompleted(SnapshotCompleted m, CalendarRow current) {
    CalendarRow row;
    if (current == null) {
      row =
          new CalendarRow(
              m.connectionId(),
              m.calendarId(),
              m.userId(),
              null,
              null,
              null,
              null,
              true,
              false,
              null,
              m.generation(),
              null);
    } else if (current.completedGeneration() == null
        || current.completedGeneration() < m.generation()) {
      row =
          new CalendarRow(
              current.connectionId(),
              current.calendarId(),
              current.userId(),
              current.name(),
              current.color(),
              current.timeZone(),
              current.accessRole(),
              current.selected(),
              current.removed(),
              current.snapshotGeneration(),
              m.generation(),
              current.updatedAt());
    } else {
      return NONE; // a replayed or stale completion
    }
    return announced(
        change(m.type(), m.userId(), m.connectionId(), m.calendarId(), null, m.occurredAt()),
        new PutCalendar(row),
        new DeleteEventsBefore(m.connectionId(), m.calendarId(), m.generation()));
  }
}
