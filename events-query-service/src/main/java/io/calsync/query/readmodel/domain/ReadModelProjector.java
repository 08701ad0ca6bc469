package io.calsync.query.readmodel.domain;

import static io.calsync.query.readmodel.domain.Projection.NONE;
import static io.calsync.query.readmodel.domain.Projection.announced;
import static io.calsync.query.readmodel.domain.Projection.silently;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowChange.PutCalendar;
import io.calsync.query.readmodel.domain.RowChange.PutConnection;
import io.calsync.query.readmodel.domain.RowChange.PutEvent;
import io.calsync.query.stream.ReadModelChange;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.StoredEvent;
import io.calsync.query.upcoming.domain.When;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The rules of the read model, as a function: a message and the rows it is about go in, the writes
 * and the changes to announce come out. No database, no clock of its own ({@code now} stands in for
 * a message without {@code occurred_at}). The rules:
 *
 * <ul>
 *   <li>Newer wins: a row is only overwritten by data with a newer source time ({@code updated} for
 *       events, {@code occurred_at} for calendars and connections). An equal time changes a row
 *       only when it says something different (another status, a tombstone over a live event), so a
 *       replay changes nothing and announces nothing.
 *   <li>Tombstones: a deleted or cancelled event stays as a tombstone, so an older upsert cannot
 *       bring it back; it keeps what it knew of the instance it hides.
 *   <li>Generations: a snapshot re-delivering an event without newer data still marks it as of that
 *       generation; a snapshot's completion (newer than the last) deletes the calendar's rows of
 *       older generations, tombstones too.
 *   <li>Hidden: event messages of a deselected or removed calendar, or of a disconnected
 *       connection, are skipped; deselecting or removing a calendar deletes its events,
 *       disconnecting deletes the connection's calendars and events and keeps the connection as a
 *       tombstone.
 * </ul>
 *
 * Times are kept to the microsecond, as PostgreSQL stores them, so that a replay compares equal.
 */
public final class ReadModelProjector {

  private static final String CANCELLED = "cancelled";

  private final RecurrenceExpander expander;

  public ReadModelProjector(RecurrenceExpander expander) {
    this.expander = expander;
  }

  /** The id of the event an event message is about, so its row can be read; null for the others. */
  public static String eventIdOf(EventChangeMessage message) {
    EventPayload event = payloadOf(message);
    return event == null ? null : event.id();
  }

  /**
   * @throws IllegalArgumentException for an event message without an event id (not retried)
   */
  public Projection project(EventChangeMessage message, CurrentRows current, Instant now) {
    if (current.connection() != null
        && ConnectionRow.DISCONNECTED.equals(current.connection().status())) {
      return NONE;
    }
    OffsetDateTime at = occurred(message.occurredAt(), now);
    if (message instanceof CalendarUpserted m) {
      return calendarUpserted(m, current.calendar(), at);
    }
    if (message instanceof CalendarRemoved m) {
      return calendarRemoved(m, current.calendar(), at);
    }
    if (message instanceof SnapshotStarted m) {
      return snapshotStarted(m, current.calendar());
    }
    if (message instanceof SnapshotCompleted m) {
      return snapshotCompleted(m, current.calendar());
    }
    if (message instanceof EventUpserted m) {
      EventPayload e = requireId(m.event(), m.type());
      if (!CalendarRow.shows(current.calendar())) {
        return NONE;
      }
      return CANCELLED.equals(e.status())
          ? tombstone(m, e, m.generation(), EventDeleted.TYPE, current.event(), at)
          : eventUpserted(m, e, current.event(), at);
    }
    if (message instanceof EventDeleted m) {
      EventPayload e = requireId(m.event(), m.type());
      return CalendarRow.shows(current.calendar())
          ? tombstone(m, e, m.generation(), m.type(), current.event(), at)
          : NONE;
    }
    return NONE;
  }

  public Projection project(ConnectionMessage message, ConnectionRow current, Instant now) {
    String status;
    if (message instanceof ConnectionConnected) {
      status = ConnectionRow.ACTIVE;
    } else if (message instanceof ConnectionReauthRequired) {
      status = ConnectionRow.REAUTH_REQUIRED;
    } else if (message instanceof ConnectionDisconnected) {
      status = ConnectionRow.DISCONNECTED;
    } else {
      return NONE;
    }
    OffsetDateTime at = occurred(message.occurredAt(), now);
    boolean newer =
        current == null
            || current.statusAt().isBefore(at)
            || (current.statusAt().isEqual(at) && !current.status().equals(status));
    if (!newer) {
      return NONE;
    }
    ReadModelChange change =
        change(
            message.type(),
            message.userId(),
            message.connectionId(),
            null,
            null,
            message.occurredAt());
    PutConnection put =
        new PutConnection(new ConnectionRow(message.connectionId(), message.userId(), status, at));
    return ConnectionRow.DISCONNECTED.equals(status)
        ? announced(change, put, new DeleteRowsOfConnection(message.connectionId()))
        : announced(change, put);
  }

  // --- calendars ---------------------------------------------------------------------------------

  private static Projection calendarUpserted(
      CalendarUpserted m, CalendarRow current, OffsetDateTime at) {
    CalendarRow row =
        new CalendarRow(
            m.connectionId(),
            m.calendarId(),
            m.userId(),
            m.name(),
            m.color(),
            m.timeZone(),
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
        && a.selected() == b.selected()
        && a.removed() == b.removed();
  }

  private static Projection calendarRemoved(
      CalendarRemoved m, CalendarRow current, OffsetDateTime at) {
    CalendarRow row =
        current == null
            ? new CalendarRow(
                m.connectionId(),
                m.calendarId(),
                m.userId(),
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

  private static Projection snapshotStarted(SnapshotStarted m, CalendarRow current) {
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
                current.selected(),
                current.removed(),
                m.generation(),
                current.completedGeneration(),
                current.updatedAt())));
  }

  private static Projection snapshotCompleted(SnapshotCompleted m, CalendarRow current) {
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

  // --- events ------------------------------------------------------------------------------------

  private Projection eventUpserted(
      EventUpserted m, EventPayload e, EventRow current, OffsetDateTime at) {
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
  private static Projection tombstone(
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
            null);
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

  // --- small helpers -----------------------------------------------------------------------------

  private static EventPayload payloadOf(EventChangeMessage message) {
    if (message instanceof EventUpserted m) {
      return m.event();
    }
    return message instanceof EventDeleted m ? m.event() : null;
  }

  private static EventPayload requireId(EventPayload event, String type) {
    if (event == null || event.id() == null) {
      throw new IllegalArgumentException(type + " without event id");
    }
    return event;
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

  private static OffsetDateTime occurred(OffsetDateTime occurredAt, Instant now) {
    return micros(occurredAt != null ? occurredAt : now.atOffset(ZoneOffset.UTC));
  }

  private static OffsetDateTime micros(OffsetDateTime time) {
    return time.truncatedTo(ChronoUnit.MICROS);
  }

  private static ReadModelChange change(
      String type,
      String userId,
      UUID connectionId,
      UUID calendarId,
      String eventId,
      OffsetDateTime at) {
    return new ReadModelChange(type, userId, connectionId, calendarId, eventId, at);
  }
}
