package io.calsync.query.readmodel.domain;

import static io.calsync.query.readmodel.domain.Projection.NONE;
import static io.calsync.query.readmodel.domain.Projection.announced;
import static io.calsync.query.readmodel.domain.ProjectionSupport.change;
import static io.calsync.query.readmodel.domain.ProjectionSupport.occurred;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowChange.PutConnection;
import io.calsync.query.stream.ReadModelChange;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import java.time.Instant;
import java.time.OffsetDateTime;

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
 *   <li>Hidden: event messages of a deselected or removed calendar are skipped; deselecting or
 *       removing a calendar deletes its events.
 *   <li>Disconnect: deletes the connection's calendars and events and keeps the connection as a
 *       tombstone with its {@code disconnected_at}. While it is disconnected every calendar, event
 *       and snapshot message of it is skipped, whatever its time (a run still in flight at
 *       sync-service is stamped by sync-service's clock, possibly after the disconnect). A later
 *       {@code connection.connected} lifts the status, but a message that occurred at or before the
 *       disconnect (a replay, a redelivery, a late message of the old run) is still skipped, so
 *       nothing of the removed connection comes back.
 * </ul>
 *
 * Times are kept to the microsecond, as PostgreSQL stores them, so that a replay compares equal.
 *
 * <p>This class dispatches by message type and holds the connection rules; the calendar and
 * snapshot rules are in {@link CalendarProjection}, the event, tombstone and series-end rules in
 * {@link EventProjection}.
 */
public final class ReadModelProjector {

  private final EventProjection events;

  public ReadModelProjector(RecurrenceExpander expander) {
    this.events = new EventProjection(expander);
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
    OffsetDateTime at = occurred(message.occurredAt(), now);
    if (ofARemovedConnection(current.connection(), message.occurredAt() == null ? null : at)) {
      return NONE;
    }
    if (message instanceof CalendarUpserted m) {
      return CalendarProjection.upserted(m, current.calendar(), at);
    }
    if (message instanceof CalendarRemoved m) {
      return CalendarProjection.removed(m, current.calendar(), at);
    }
    if (message instanceof SnapshotStarted m) {
      return CalendarProjection.snapshotStarted(m, current.calendar());
    }
    if (message instanceof SnapshotCompleted m) {
      return CalendarProjection.snapshotCompleted(m, current.calendar());
    }
    if (message instanceof EventUpserted m) {
      EventPayload e = requireId(m.event(), m.type());
      if (!CalendarRow.shows(current.calendar())) {
        return NONE;
      }
      return EventProjection.CANCELLED.equals(e.status())
          ? EventProjection.tombstone(m, e, m.generation(), EventDeleted.TYPE, current.event(), at)
          : events.upserted(m, e, current.event(), at);
    }
    if (message instanceof EventDeleted m) {
      EventPayload e = requireId(m.event(), m.type());
      return CalendarRow.shows(current.calendar())
          ? EventProjection.tombstone(m, e, m.generation(), m.type(), current.event(), at)
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
    // at the same instant a disconnect wins: once disconnected, only a later message lifts it
    boolean newer =
        current == null
            || current.statusAt().isBefore(at)
            || (current.statusAt().isEqual(at)
                && !current.status().equals(status)
                && !ConnectionRow.DISCONNECTED.equals(current.status()));
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
    boolean disconnect = ConnectionRow.DISCONNECTED.equals(status);
    OffsetDateTime disconnectedAt =
        disconnect ? at : current == null ? null : current.disconnectedAt();
    PutConnection put =
        new PutConnection(
            new ConnectionRow(
                message.connectionId(), message.userId(), status, at, disconnectedAt));
    return disconnect
        ? announced(change, put, new DeleteRowsOfConnection(message.connectionId()))
        : announced(change, put);
  }

  // --- small helpers -----------------------------------------------------------------------------

  /**
   * Whether a calendar, event or snapshot message belongs to a removed connection: the connection
   * is disconnected, or was, and the message ({@code occurredAt}, null when it carries no time) did
   * not occur after that.
   */
  private static boolean ofARemovedConnection(ConnectionRow connection, OffsetDateTime occurredAt) {
    if (connection == null) {
      return false;
    }
    if (ConnectionRow.DISCONNECTED.equals(connection.status())) {
      return true;
    }
    return connection.disconnectedAt() != null
        && (occurredAt == null || !occurredAt.isAfter(connection.disconnectedAt()));
  }

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
}
