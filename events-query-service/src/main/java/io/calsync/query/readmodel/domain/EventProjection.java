package io.calsync.query.readmodel.domain;

import static io.calsync.query.readmodel.domain.Projection.NONE;
import static io.calsync.query.readmodel.domain.Projection.announced;
import static io.calsync.query.readmodel.domain.Projection.silently;
import static io.calsync.query.readmodel.domain.ProjectionSupport.change;
import static io.calsync.query.readmodel.domain.ProjectionSupport.micros;

import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.query.readmodel.domain.RowChange.PutEvent;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.When;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The read model's rules for an event row (part of {@link ReadModelProjector}): newer {@code
 * updated} wins, a deleted or cancelled event stays as a tombstone, a snapshot's re-delivery marks
 * the row as of its generation, and a finite series records where it ends.
 */
final class EventProjection {

  static final String CANCELLED = "cancelled";

  private final RecurrenceExpander expander;

  EventProjection(RecurrenceExpander expander) {
    this.expander = expander;
  }

  Projection upserted(EventUpserted m, EventPayload e, EventRow current, OffsetDateTime at) {
    OffsetDateTime updated = e.updated() != null ? micros(e.updated()) : at;
    if (current != null && !current.sourceUpdated().isBefore(updated)) {
      return bumpGeneration(current, m.generation());
    }
    EventTime start = e.start();
    EventTime end = e.end();
    Object seriesEnd = seriesEnd(m, e);
    EventRow row =
        new EventRow(
            m.connectionId(),
            m.calendarId(),
            e.id(),
            m.userId(),
            e.status() != null ? e.status() : "confirmed",
            e.title(),
            e.description(),
            e.location(),
            dateTime(start),
            offsetSeconds(start),
            date(start),
            zone(start),
            dateTime(end),
            offsetSeconds(end),
            date(end),
            zone(end),
            start != null && start.date() != null,
            e.recurrence() == null || e.recurrence().isEmpty() ? null : List.copyOf(e.recurrence()),
            e.recurringEventId(),
            dateTime(e.originalStart()),
            date(e.originalStart()),
            e.htmlLink(),
            updated,
            e.etag(),
            current == null ? m.generation() : Math.max(current.generation(), m.generation()),
            false,
            seriesEnd instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : null,
            seriesEnd instanceof LocalDate date ? date : null);
    return announced(
        change(m.type(), m.userId(), m.connectionId(), m.calendarId(), e.id(), m.occurredAt()),
        new PutEvent(row));
  }

  /** Writes or keeps a tombstone; a newer live row is not touched. */
  static Projection tombstone(
      EventChangeMessage m,
      EventPayload e,
      long generation,
      String type,
      EventRow current,
      OffsetDateTime at) {
    OffsetDateTime updated = e.updated() != null ? micros(e.updated()) : at;
    EventTime original = e.originalStart();
    EventRow row;
    if (current == null) {
      row =
          new EventRow(
              m.connectionId(),
              m.calendarId(),
              e.id(),
              m.userId(),
              CANCELLED,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              original != null && original.date() != null,
              null,
              e.recurringEventId(),
              dateTime(original),
              date(original),
              null,
              updated,
              e.etag(),
              generation,
              true,
              null,
              null);
    } else if (current.sourceUpdated().isBefore(updated)
        || (current.sourceUpdated().isEqual(updated) && !current.deleted())) {
      row =
          new EventRow(
              current.connectionId(),
              current.calendarId(),
              current.eventId(),
              current.userId(),
              CANCELLED,
              current.title(),
              current.description(),
              current.location(),
              current.startAt(),
              current.startOffsetSeconds(),
              current.startDate(),
              current.startTimeZone(),
              current.endAt(),
              current.endOffsetSeconds(),
              current.endDate(),
              current.endTimeZone(),
              current.allDay(),
              current.recurrence(),
              firstNonNull(e.recurringEventId(), current.recurringEventId()),
              firstNonNull(dateTime(original), current.originalStartAt()),
              firstNonNull(date(original), current.originalStartDate()),
              current.htmlLink(),
              updated,
              firstNonNull(e.etag(), current.etag()),
              Math.max(current.generation(), generation),
              true,
              current.seriesEndAt(),
              current.seriesEndDate());
    } else {
      return bumpGeneration(current, generation);
    }
    return announced(
        change(type, m.userId(), m.connectionId(), m.calendarId(), e.id(), m.occurredAt()),
        new PutEvent(row));
  }

  /**
   * The row was re-delivered by a snapshot without newer data: it belongs to that generation too.
   */
  private static Projection bumpGeneration(EventRow current, long generation) {
    return current.generation() < generation
        ? silently(new PutEvent(current.withGeneration(generation)))
        : NONE;
  }

  /** Where a finite series ends, so queries can skip it afterwards; null for anything else. */
  private Object seriesEnd(EventUpserted m, EventPayload e) {
    if (e.recurrence() == null || e.recurrence().isEmpty() || e.start() == null) {
      return null;
    }
    When start = when(e.start());
    if (start == null) {
      return null;
    }
    StoredEvent master =
        new StoredEvent(
            m.connectionId(),
            m.calendarId(),
            e.id(),
            e.status(),
            null,
            null,
            null,
            start,
            when(e.end()),
            start.isDate(),
            e.recurrence(),
            null,
            null,
            null,
            null,
            null,
            false);
    return expander.seriesEnd(master);
  }

  private static When when(EventTime time) {
    if (time == null) {
      return null;
    }
    if (time.date() != null) {
      return When.allDay(time.date(), time.timeZone());
    }
    return time.dateTime() == null
        ? null
        : When.timed(time.dateTime().toInstant(), time.dateTime().getOffset(), time.timeZone());
  }

  private static OffsetDateTime dateTime(EventTime time) {
    return time == null ? null : time.dateTime();
  }

  private static Integer offsetSeconds(EventTime time) {
    return time == null || time.dateTime() == null
        ? null
        : time.dateTime().getOffset().getTotalSeconds();
  }

  private static LocalDate date(EventTime time) {
    return time == null ? null : time.date();
  }

  private static String zone(EventTime time) {
    return time == null ? null : time.timeZone();
  }

  private static <T> T firstNonNull(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
