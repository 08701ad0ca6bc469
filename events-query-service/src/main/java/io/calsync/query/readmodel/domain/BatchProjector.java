package io.calsync.query.readmodel.domain;

import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.query.readmodel.domain.BatchPlan.Delete;
import io.calsync.query.readmodel.domain.BatchPlan.Puts;
import io.calsync.query.readmodel.domain.BatchPlan.Step;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowChange.PutCalendar;
import io.calsync.query.readmodel.domain.RowChange.PutConnection;
import io.calsync.query.readmodel.domain.RowChange.PutEvent;
import io.calsync.query.readmodel.domain.RowKeys.CalendarKey;
import io.calsync.query.readmodel.domain.RowKeys.EventKey;
import io.calsync.query.stream.ReadModelChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs {@link ReadModelProjector}, unchanged, over a batch of messages in order, in memory: each
 * message sees the rows as the messages before it left them (an overlay of the stored rows and the
 * rows decided so far), exactly as if each had been applied in a transaction of its own. The result
 * is a {@link BatchPlan}: the net puts (a row put several times is written once, as it ended) and,
 * in their place, the bulk deletes, before which the pending puts are written, so a delete removes
 * what the messages before it wrote and nothing a later one writes; the overlay forgets what a
 * delete removes. A message the projector refuses ({@link IllegalArgumentException}) ends the plan:
 * the messages before it are applied, the rest is for the caller to deliver again.
 */
public final class BatchProjector {

  private final ReadModelProjector projector;

  public BatchProjector(ReadModelProjector projector) {
    this.projector = projector;
  }

  /**
   * The rows the batch is about (each message is an {@code EventChangeMessage} or a {@code
   * ConnectionMessage}).
   */
  public static RowKeys keysOf(List<?> messages) {
    Set<UUID> connections = new HashSet<>();
    Set<CalendarKey> calendars = new HashSet<>();
    Set<EventKey> events = new HashSet<>();
    for (Object message : messages) {
      if (message instanceof EventChangeMessage m) {
        connections.add(m.connectionId());
        calendars.add(new CalendarKey(m.connectionId(), m.calendarId()));
        String eventId = ReadModelProjector.eventIdOf(m);
        if (eventId != null) {
          events.add(new EventKey(m.connectionId(), m.calendarId(), eventId));
        }
      } else if (message instanceof ConnectionMessage m) {
        connections.add(m.connectionId());
      } else {
        throw new IllegalStateException("not a read-model message: " + message.getClass());
      }
    }
    return new RowKeys(connections, calendars, events);
  }

  /**
   * @param stored the stored rows of {@link #keysOf}{@code (messages)}
   * @param now what a message without {@code occurred_at} counts as
   */
  public BatchPlan project(List<?> messages, StoredRows stored, Instant now) {
    Overlay rows = new Overlay(stored);
    List<Step> steps = new ArrayList<>();
    List<RowChange> applied = new ArrayList<>();
    List<ReadModelChange> changes = new ArrayList<>();
    int projected = 0;
    RuntimeException failure = null;
    for (Object message : messages) {
      Projection projection;
      try {
        projection = project(message, rows, now);
      } catch (IllegalArgumentException e) {
        failure = e;
        break;
      }
      for (RowChange change : projection.rows()) {
        if (!rows.put(change)) {
          rows.flushInto(steps);
          steps.add(new Delete(change));
          rows.forget(change);
        }
      }
      applied.addAll(projection.rows());
      changes.addAll(projection.changes());
      projected++;
    }
    rows.flushInto(steps);
    return new BatchPlan(steps, applied, changes, projected, failure);
  }

  private Projection project(Object message, Overlay rows, Instant now) {
    if (message instanceof ConnectionMessage m) {
      return projector.project(m, rows.connections.get(m.connectionId()), now);
    }
    EventChangeMessage m = (EventChangeMessage) message;
    String eventId = ReadModelProjector.eventIdOf(m);
    CurrentRows current =
        new CurrentRows(
            rows.connections.get(m.connectionId()),
            rows.calendars.get(new CalendarKey(m.connectionId(), m.calendarId())),
            eventId == null
                ? null
                : rows.events.get(new EventKey(m.connectionId(), m.calendarId(), eventId)));
    return projector.project(m, current, now);
  }

  /** The rows as the batch has left them so far, and the puts not yet in a step. */
  private static final class Overlay {

    private final Map<UUID, ConnectionRow> connections = new LinkedHashMap<>();
    private final Map<CalendarKey, CalendarRow> calendars = new LinkedHashMap<>();
    private final Map<EventKey, EventRow> events = new LinkedHashMap<>();
    private final Map<UUID, ConnectionRow> pendingConnections = new LinkedHashMap<>();
    private final Map<CalendarKey, CalendarRow> pendingCalendars = new LinkedHashMap<>();
    private final Map<EventKey, EventRow> pendingEvents = new LinkedHashMap<>();

    Overlay(StoredRows stored) {
      stored.connections().forEach(row -> connections.put(row.id(), row));
      stored.calendars().forEach(row -> calendars.put(keyOf(row), row));
      stored.events().forEach(row -> events.put(keyOf(row), row));
    }

    /** Takes a put into the overlay and the pending puts; false for a delete. */
    boolean put(RowChange change) {
      if (change instanceof PutConnection c) {
        connections.put(c.row().id(), c.row());
        pendingConnections.put(c.row().id(), c.row());
        return true;
      }
      if (change instanceof PutCalendar c) {
        calendars.put(keyOf(c.row()), c.row());
        pendingCalendars.put(keyOf(c.row()), c.row());
        return true;
      }
      if (change instanceof PutEvent c) {
        events.put(keyOf(c.row()), c.row());
        pendingEvents.put(keyOf(c.row()), c.row());
        return true;
      }
      return false;
    }

    /** Forgets what a delete removes (the pending puts were flushed before it). */
    void forget(RowChange change) {
      if (change instanceof DeleteEventsOfCalendar d) {
        events.keySet().removeIf(k -> ofCalendar(k, d.connectionId(), d.calendarId()));
      } else if (change instanceof DeleteEventsBefore d) {
        events
            .entrySet()
            .removeIf(
                e ->
                    ofCalendar(e.getKey(), d.connectionId(), d.calendarId())
                        && e.getValue().generation() < d.generation());
      } else if (change instanceof DeleteRowsOfConnection d) {
        events.keySet().removeIf(k -> k.connectionId().equals(d.connectionId()));
        calendars.keySet().removeIf(k -> k.connectionId().equals(d.connectionId()));
      } else {
        throw new IllegalStateException("unknown row change " + change);
      }
    }

    void flushInto(List<Step> steps) {
      if (pendingConnections.isEmpty() && pendingCalendars.isEmpty() && pendingEvents.isEmpty()) {
        return;
      }
      steps.add(
          new Puts(
              List.copyOf(pendingConnections.values()),
              List.copyOf(pendingCalendars.values()),
              List.copyOf(pendingEvents.values())));
      pendingConnections.clear();
      pendingCalendars.clear();
      pendingEvents.clear();
    }

    private static boolean ofCalendar(EventKey key, UUID connectionId, UUID calendarId) {
      return key.connectionId().equals(connectionId) && key.calendarId().equals(calendarId);
    }

    private static CalendarKey keyOf(CalendarRow row) {
      return new CalendarKey(row.connectionId(), row.calendarId());
    }

    private static EventKey keyOf(EventRow row) {
      return new EventKey(row.connectionId(), row.calendarId(), row.eventId());
    }
  }
}
