package io.calsync.query.support;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A rich stream of read-model messages over a world of fresh ids (two users, two connections, three
 * calendars), in the order one partition would carry them: snapshots with a sweep, newer and older
 * {@code updated}, deletions and tombstones, a cancelled instance and a moved exception of a
 * series, a deselected and a removed calendar, a reauth, a disconnect with late messages after it,
 * and a reconnect. {@link #label} maps the world's ids to fixed names, so the tables and
 * announcements of two worlds can be compared.
 */
public final class ReadModelStream {

  public static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");

  public final String userA = "user-" + UUID.randomUUID();
  public final String userB = "user-" + UUID.randomUUID();
  public final UUID connectionA = UUID.randomUUID();
  public final UUID connectionB = UUID.randomUUID();
  public final UUID work = UUID.randomUUID();
  public final UUID personal = UUID.randomUUID();
  public final UUID shared = UUID.randomUUID();

  /** The whole stream: connection messages and event-change messages, in order. */
  public List<Object> messages() {
    List<Object> m = new ArrayList<>(connectionMessagesBefore());
    m.addAll(eventMessages());
    m.addAll(late());
    return m;
  }

  /** What oauth-service says first: both connections connected. */
  public List<Object> connectionMessagesBefore() {
    return List.of(
        new ConnectionConnected(connectionA, userA, T0, "google", "a@example.com", List.of()),
        new ConnectionConnected(connectionB, userB, T0, "google", "b@example.com", List.of()));
  }

  /** Calendars, snapshots and events of both connections (the event-changes topic alone). */
  public List<EventChangeMessage> eventMessages() {
    List<EventChangeMessage> m = new ArrayList<>();
    m.add(calendar(connectionA, userA, work, "Work", true, T0));
    m.add(calendar(connectionA, userA, personal, "Personal", true, T0));
    m.add(calendar(connectionB, userB, shared, "Shared", true, T0));
    m.add(new SnapshotStarted(connectionA, userA, T0, work, 1));
    m.add(upsert(work, 1, timed("e1", "v1", T0)));
    m.add(upsert(work, 1, timed("e2", "v1", T0)));
    m.add(upsert(work, 1, series("s", T0)));
    m.add(upsert(work, 1, timed("e1", "v2", T0.plusHours(2)))); // newer wins
    m.add(upsert(work, 1, timed("e1", "v1.5", T0.plusHours(1)))); // older: nothing
    m.add(
        new EventDeleted(
            connectionA, userA, T0, work, 1, instance("s_20261124T090000Z", "cancelled", T0)));
    m.add(upsert(work, 1, instance("s_20261125T090000Z", "confirmed", T0)));
    m.add(upsert(work, 1, cancelled("e2", T0.plusHours(1)))); // a cancelled upsert: a tombstone
    m.add(upsert(work, 1, timed("e2", "back?", T0.plusMinutes(30)))); // stopped by the tombstone
    m.add(new SnapshotCompleted(connectionA, userA, T0, work, 1, 5));
    m.add(new SnapshotCompleted(connectionA, userA, T0, work, 1, 5)); // a replayed completion
    m.add(new SnapshotStarted(connectionA, userA, T0.plusDays(1), work, 2));
    m.add(upsert(work, 2, timed("e1", "v2", T0.plusHours(2)))); // re-delivered: generation 2
    m.add(upsert(work, 2, series("s", T0)));
    m.add(upsert(work, 2, timed("e3", "v1", T0.plusHours(3))));
    m.add(new SnapshotCompleted(connectionA, userA, T0.plusDays(1), work, 2, 3)); // sweeps gen 1
    // the sweep took e2's tombstone, so an older upsert now writes it again (by the rules)
    m.add(upsert(work, 2, timed("e2", "after the sweep", T0.plusMinutes(30))));
    m.add(upsert(work, 2, timed("e3", "v2", T0.plusHours(4))));
    m.add(upsert(personal, 1, timed("p1", "v1", T0)));
    m.add(calendar(connectionA, userA, personal, "Personal", false, T0.plusHours(1))); // deselect
    m.add(upsert(personal, 1, timed("p2", "hidden", T0))); // skipped: deselected
    m.add(new CalendarRemoved(connectionA, userA, T0.plusHours(2), personal));
    m.add(calendar(connectionA, userA, work, "Work", true, T0)); // a replay: nothing
    m.add(calendar(connectionA, userA, work, "Work (renamed)", true, T0.plusHours(1)));
    m.add(
        new EventDeleted(
            connectionA, userA, T0.plusHours(5), work, 2, cancelled("e3", T0.plusHours(5))));
    m.add(eventOf(connectionB, userB, shared, T0, timed("f1", "v1", T0)));
    m.add(eventOf(connectionB, userB, shared, T0, timed("f2", "v1", T0)));
    return m;
  }

  /** Reauth, disconnect, late messages of the old run, a reconnect and the new run. */
  public List<Object> late() {
    return List.of(
        new ConnectionReauthRequired(connectionB, userB, T0.plusHours(1), "invalid_grant"),
        new ConnectionDisconnected(connectionB, userB, T0.plusHours(2)),
        eventOf(connectionB, userB, shared, T0.plusMinutes(90), timed("f3", "late", T0)),
        eventOf(connectionB, userB, shared, T0.plusHours(3), timed("f4", "in flight", T0)),
        new ConnectionConnected(connectionB, userB, T0, "google", "b@example.com", List.of()),
        new ConnectionConnected(
            connectionB, userB, T0.plusHours(4), "google", "b@example.com", List.of()),
        eventOf(connectionB, userB, shared, T0.plusHours(1), timed("f5", "stale", T0)),
        calendar(connectionB, userB, shared, "Shared", true, T0.plusHours(5)),
        eventOf(connectionB, userB, shared, T0.plusHours(5), timed("f6", "fresh", T0)),
        // the disconnect deleted f1: the new run writes it again, whatever its `updated`
        eventOf(connectionB, userB, shared, T0.plusHours(5), timed("f1", "again", T0)));
  }

  /** An event message the rules refuse: an upsert without an event id. */
  public EventUpserted withoutEventId() {
    return upsert(work, 2, timed(null, "no id", T0));
  }

  /** An event message the database refuses: an upsert without a user (events.user_id not null). */
  public EventUpserted withoutUser() {
    return new EventUpserted(connectionA, null, T0, work, 2, timed("nouser", "no user", T0));
  }

  /** The text with this world's ids replaced by fixed names. */
  public String label(String text) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(userA, "userA");
    names.put(userB, "userB");
    names.put(connectionA.toString(), "connectionA");
    names.put(connectionB.toString(), "connectionB");
    names.put(work.toString(), "work");
    names.put(personal.toString(), "personal");
    names.put(shared.toString(), "shared");
    String labelled = text;
    for (Map.Entry<String, String> name : names.entrySet()) {
      labelled = labelled.replace(name.getKey(), name.getValue());
    }
    return labelled;
  }

  private CalendarUpserted calendar(
      UUID connection,
      String user,
      UUID calendar,
      String name,
      boolean selected,
      OffsetDateTime at) {
    return new CalendarUpserted(
        connection,
        user,
        at,
        calendar,
        name + "@group",
        name,
        "#0b8043",
        "Europe/Berlin",
        false,
        "owner",
        selected);
  }

  private EventUpserted upsert(UUID calendar, long generation, EventPayload event) {
    return new EventUpserted(connectionA, userA, T0, calendar, generation, event);
  }

  private static EventUpserted eventOf(
      UUID connection, String user, UUID calendar, OffsetDateTime at, EventPayload event) {
    return new EventUpserted(connection, user, at, calendar, 1, event);
  }

  private static EventPayload timed(String id, String title, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        title,
        null,
        null,
        EventTime.of(OffsetDateTime.parse("2026-11-24T10:00:00+01:00"), "Europe/Berlin"),
        EventTime.of(OffsetDateTime.parse("2026-11-24T11:00:00+01:00"), "Europe/Berlin"),
        null,
        null,
        null,
        "https://calendar.test/" + id,
        updated,
        "\"" + updated.toEpochSecond() + "\"",
        id + "@google.com");
  }

  private static EventPayload series(String id, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        "Standup",
        null,
        null,
        EventTime.of(OffsetDateTime.parse("2026-11-16T10:00:00+01:00"), "Europe/Berlin"),
        EventTime.of(OffsetDateTime.parse("2026-11-16T10:15:00+01:00"), "Europe/Berlin"),
        List.of("RRULE:FREQ=DAILY;COUNT=20", "EXDATE;TZID=Europe/Berlin:20261120T100000"),
        null,
        null,
        null,
        updated,
        null,
        null);
  }

  private static EventPayload instance(String id, String status, OffsetDateTime updated) {
    String day = id.substring(2, 10);
    OffsetDateTime original =
        OffsetDateTime.parse(
            day.substring(0, 4)
                + "-"
                + day.substring(4, 6)
                + "-"
                + day.substring(6)
                + "T10:00:00+01:00");
    boolean moved = "confirmed".equals(status);
    return new EventPayload(
        id,
        status,
        moved ? "Standup (moved)" : null,
        null,
        null,
        moved ? EventTime.of(original.plusHours(4), "Europe/Berlin") : null,
        moved ? EventTime.of(original.plusHours(4).plusMinutes(15), "Europe/Berlin") : null,
        null,
        "s",
        EventTime.of(original, "Europe/Berlin"),
        null,
        updated,
        null,
        null);
  }

  private static EventPayload cancelled(String id, OffsetDateTime updated) {
    return new EventPayload(
        id, "cancelled", null, null, null, null, null, null, null, null, null, updated, null, null);
  }
}
