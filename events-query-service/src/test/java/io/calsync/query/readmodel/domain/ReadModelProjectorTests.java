package io.calsync.query.readmodel.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The read model's rules, without a database: the projector's answer for a message and the stored
 * rows.
 */
class ReadModelProjectorTests {

  private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");
  private static final String USER = "user-1";
  private static final UUID CONNECTION = UUID.randomUUID();
  private static final UUID CALENDAR = UUID.randomUUID();

  private final ReadModelProjector projector =
      new ReadModelProjector(new RecurrenceExpander(20_000));

  // --- events: newer wins ----------------------------------------------------------------------

  @Test
  void whenAnEventIsNewThenItIsInsertedAndAnnounced() {
    Projection p = project(upserted(1, timed("e", "v1", T0)), null, null);

    EventRow row = onlyEvent(p);
    assertThat(row.title()).isEqualTo("v1");
    assertThat(row.status()).isEqualTo("confirmed");
    assertThat(row.startAt()).isEqualTo(OffsetDateTime.parse("2026-11-24T10:00:00+01:00"));
    assertThat(row.startOffsetSeconds()).isEqualTo(3600);
    assertThat(row.allDay()).isFalse();
    assertThat(row.sourceUpdated()).isEqualTo(T0);
    assertThat(row.generation()).isEqualTo(1);
    assertThat(row.deleted()).isFalse();
    assertThat(p.changes())
        .containsExactly(
            new ReadModelChange(EventUpserted.TYPE, USER, CONNECTION, CALENDAR, "e", T0));
  }

  @Test
  void whenANewerVersionArrivesThenItOverwritesTheRowAndKeepsTheHigherGeneration() {
    EventRow stored = onlyEvent(project(upserted(3, timed("e", "old", T0)), null, null));

    Projection p = project(upserted(2, timed("e", "new", T0.plusHours(1))), null, stored);

    assertThat(onlyEvent(p).title()).isEqualTo("new");
    assertThat(onlyEvent(p).sourceUpdated()).isEqualTo(T0.plusHours(1));
    assertThat(onlyEvent(p).generation()).isEqualTo(3);
    assertThat(p.changes()).hasSize(1);
  }

  @Test
  void whenAnOlderOrEqualVersionArrivesThenNothingChanges() {
    EventRow stored =
        onlyEvent(project(upserted(1, timed("e", "new", T0.plusHours(2))), null, null));

    assertThat(project(upserted(1, timed("e", "old", T0.plusHours(1))), null, stored))
        .isEqualTo(Projection.NONE);
    assertThat(project(upserted(1, timed("e", "replay", T0.plusHours(2))), null, stored))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenASnapshotRedeliversAnEventWithoutNewerDataThenOnlyItsGenerationMoves() {
    EventRow stored = onlyEvent(project(upserted(1, timed("e", "v1", T0)), null, null));

    Projection p = project(upserted(2, timed("e", "v1", T0)), null, stored);

    assertThat(p.rows()).containsExactly(new PutEvent(stored.withGeneration(2)));
    assertThat(p.changes()).isEmpty();
  }

  @Test
  void whenAnEventHasNoUpdatedThenItsOccurredAtOrNowIsItsTime() {
    EventPayload noUpdated =
        new EventPayload(
            "e", null, "t", null, null, null, null, null, null, null, null, null, null, null);

    EventRow fromOccurredAt =
        onlyEvent(
            project(new EventUpserted(CONNECTION, USER, T0, CALENDAR, 1, noUpdated), null, null));
    EventRow fromNow =
        onlyEvent(
            project(new EventUpserted(CONNECTION, USER, null, CALENDAR, 1, noUpdated), null, null));

    assertThat(fromOccurredAt.sourceUpdated()).isEqualTo(T0);
    assertThat(fromNow.sourceUpdated()).isEqualTo(NOW.atOffset(ZoneOffset.UTC));
  }

  @Test
  void whenTimesCarryNanosecondsThenTheyAreKeptToTheMicrosecondSoAReplayComparesEqual() {
    OffsetDateTime precise = OffsetDateTime.parse("2026-11-20T09:00:00.123456789Z");
    EventRow stored = onlyEvent(project(upserted(1, timed("e", "v1", precise)), null, null));

    assertThat(stored.sourceUpdated())
        .isEqualTo(OffsetDateTime.parse("2026-11-20T09:00:00.123456Z"));
    assertThat(project(upserted(1, timed("e", "v1", precise)), null, stored))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenAnAllDayFiniteSeriesIsWrittenThenItsEndIsKept() {
    EventPayload series =
        new EventPayload(
            "s",
            "confirmed",
            "daily",
            null,
            null,
            EventTime.ofDate(LocalDate.parse("2026-11-24")),
            EventTime.ofDate(LocalDate.parse("2026-11-25")),
            List.of("RRULE:FREQ=DAILY;COUNT=3"),
            null,
            null,
            null,
            T0,
            null,
            null);

    EventRow row = onlyEvent(project(upserted(1, series), null, null));

    assertThat(row.allDay()).isTrue();
    assertThat(row.recurrence()).containsExactly("RRULE:FREQ=DAILY;COUNT=3");
    assertThat(row.seriesEndDate()).isEqualTo(LocalDate.parse("2026-11-27"));
    assertThat(row.seriesEndAt()).isNull();
  }

  @Test
  void whenAnEventMessageHasNoIdThenItIsRejected() {
    EventPayload noId =
        new EventPayload(
            null,
            "confirmed",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            T0,
            null,
            null);

    assertThatThrownBy(() -> project(upserted(1, noId), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event.upserted");
    assertThatThrownBy(
            () -> project(new EventDeleted(CONNECTION, USER, T0, CALENDAR, 1, null), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event.deleted");
  }

  // --- events: tombstones ------------------------------------------------------------------------

  @Test
  void whenAnEventIsDeletedThenATombstoneReplacesItAndKeepsWhatTheDeleteDoesNotSay() {
    EventRow stored = onlyEvent(project(upserted(1, timed("e", "v1", T0)), null, null));

    Projection p = project(deleted(2, cancelled("e", T0.plusHours(1), null)), null, stored);

    EventRow tombstone = onlyEvent(p);
    assertThat(tombstone.deleted()).isTrue();
    assertThat(tombstone.status()).isEqualTo("cancelled");
    assertThat(tombstone.title()).isEqualTo("v1");
    assertThat(tombstone.etag()).isEqualTo(stored.etag());
    assertThat(tombstone.sourceUpdated()).isEqualTo(T0.plusHours(1));
    assertThat(tombstone.generation()).isEqualTo(2);
    assertThat(p.changes()).extracting(ReadModelChange::type).containsExactly(EventDeleted.TYPE);
  }

  @Test
  void whenADeleteHasTheSameTimeAsTheLiveRowThenItStillWins() {
    EventRow stored = onlyEvent(project(upserted(1, timed("e", "v1", T0)), null, null));

    assertThat(onlyEvent(project(deleted(1, cancelled("e", T0, null)), null, stored)).deleted())
        .isTrue();
  }

  @Test
  void whenATombstoneIsStoredThenAnOlderOrEqualUpsertDoesNotResurrectIt() {
    EventRow tombstone =
        onlyEvent(project(deleted(1, cancelled("e", T0.plusHours(2), null)), null, null));

    assertThat(project(upserted(1, timed("e", "older", T0.plusHours(1))), null, tombstone))
        .isEqualTo(Projection.NONE);
    assertThat(project(upserted(1, timed("e", "equal", T0.plusHours(2))), null, tombstone))
        .isEqualTo(Projection.NONE);
    assertThat(project(deleted(1, cancelled("e", T0.plusHours(2), null)), null, tombstone))
        .isEqualTo(Projection.NONE);
    assertThat(
            onlyEvent(project(upserted(1, timed("e", "newer", T0.plusHours(3))), null, tombstone))
                .deleted())
        .isFalse();
  }

  @Test
  void whenACancelledInstanceArrivesThenItIsATombstoneThatKnowsItsSeriesAndOriginalStart() {
    EventTime original =
        EventTime.of(OffsetDateTime.parse("2026-11-25T09:00:00+01:00"), "Europe/Berlin");
    EventPayload instance =
        new EventPayload(
            "weekly_20261125T080000Z",
            "cancelled",
            null,
            null,
            null,
            null,
            null,
            null,
            "weekly",
            original,
            null,
            T0,
            "\"2\"",
            null);

    Projection p = project(upserted(1, instance), null, null);

    EventRow row = onlyEvent(p);
    assertThat(row.deleted()).isTrue();
    assertThat(row.recurringEventId()).isEqualTo("weekly");
    assertThat(row.originalStartAt()).isEqualTo(original.dateTime());
    assertThat(row.etag()).isEqualTo("\"2\"");
    assertThat(p.changes()).extracting(ReadModelChange::type).containsExactly(EventDeleted.TYPE);
  }

  @Test
  void whenAnOlderDeleteArrivesThenTheNewerLiveRowOnlyTakesItsGeneration() {
    EventRow stored =
        onlyEvent(project(upserted(1, timed("e", "v2", T0.plusHours(2))), null, null));

    Projection p = project(deleted(2, cancelled("e", T0.plusHours(1), null)), null, stored);

    assertThat(p.rows()).containsExactly(new PutEvent(stored.withGeneration(2)));
    assertThat(p.changes()).isEmpty();
  }

  // --- hidden calendars and connections --------------------------------------------------------

  @Test
  void whenTheCalendarIsDeselectedOrRemovedThenItsEventMessagesAreSkipped() {
    CalendarRow deselected = calendar(false, false, T0);
    CalendarRow removed = calendar(true, true, T0);

    assertThat(project(upserted(1, timed("e", "v1", T0)), deselected, null))
        .isEqualTo(Projection.NONE);
    assertThat(project(deleted(1, cancelled("e", T0, null)), removed, null))
        .isEqualTo(Projection.NONE);
    assertThat(
            onlyEvent(project(upserted(1, timed("e", "v1", T0)), calendar(true, false, T0), null)))
        .isNotNull();
  }

  @Test
  void whenTheConnectionIsDisconnectedThenEveryEventChangeMessageIsSkipped() {
    CurrentRows disconnected =
        new CurrentRows(
            new ConnectionRow(CONNECTION, USER, ConnectionRow.DISCONNECTED, T0, T0), null, null);
    EventPayload noId =
        new EventPayload(
            null,
            "confirmed",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            T0,
            null,
            null);

    assertThat(projector.project(upserted(1, timed("e", "v1", T0)), disconnected, NOW))
        .isEqualTo(Projection.NONE);
    assertThat(projector.project(upserted(1, noId), disconnected, NOW)).isEqualTo(Projection.NONE);
    assertThat(projector.project(calendarUpserted(true, T0), disconnected, NOW))
        .isEqualTo(Projection.NONE);
    assertThat(
            projector.project(
                new SnapshotStarted(CONNECTION, USER, T0, CALENDAR, 1), disconnected, NOW))
        .isEqualTo(Projection.NONE);
  }

  // --- calendars ---------------------------------------------------------------------------------

  @Test
  void whenACalendarIsUpsertedThenNewerWinsAndTheSnapshotGenerationsStay() {
    CalendarRow stored =
        new CalendarRow(
            CONNECTION, CALENDAR, USER, "Old", "#000000", "UTC", "reader", true, false, 4L, 3L, T0);

    Projection p = project(calendarUpserted(true, T0.plusHours(1)), stored, null);

    assertThat(p.rows())
        .containsExactly(
            new PutCalendar(
                new CalendarRow(
                    CONNECTION,
                    CALENDAR,
                    USER,
                    "Work",
                    "#0b8043",
                    "Europe/Berlin",
                    "owner",
                    true,
                    false,
                    4L,
                    3L,
                    T0.plusHours(1))));
    assertThat(p.changes())
        .extracting(ReadModelChange::type)
        .containsExactly(CalendarUpserted.TYPE);
    assertThat(project(calendarUpserted(true, T0.minusHours(1)), stored, null))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenACalendarUpsertHasTheSameTimeThenOnlyDifferentSettingsApply() {
    CalendarRow stored = putCalendar(project(calendarUpserted(true, T0), null, null));

    assertThat(project(calendarUpserted(true, T0), stored, null)).isEqualTo(Projection.NONE);
    assertThat(putCalendar(project(calendarUpserted(false, T0), stored, null)).selected())
        .isFalse();
  }

  @Test
  void whenACalendarOnlyKnownFromASnapshotIsUpsertedThenItApplies() {
    CalendarRow fromSnapshot =
        putCalendar(project(new SnapshotStarted(CONNECTION, USER, T0, CALENDAR, 1), null, null));

    assertThat(
            putCalendar(project(calendarUpserted(true, T0.minusDays(1)), fromSnapshot, null))
                .name())
        .isEqualTo("Work");
  }

  @Test
  void whenACalendarIsDeselectedThenItsEventsAreDeleted() {
    Projection p =
        project(calendarUpserted(false, T0.plusHours(1)), calendar(true, false, T0), null);

    assertThat(p.rows())
        .hasSize(2)
        .last()
        .isEqualTo(new DeleteEventsOfCalendar(CONNECTION, CALENDAR));
    assertThat(putCalendar(p).selected()).isFalse();
  }

  @Test
  void whenACalendarIsRemovedThenItIsMarkedAndItsEventsAreDeletedOnce() {
    CalendarRow stored = calendar(true, false, T0);

    Projection p =
        project(new CalendarRemoved(CONNECTION, USER, T0.plusHours(1), CALENDAR), stored, null);

    CalendarRow removed = putCalendar(p);
    assertThat(removed.removed()).isTrue();
    assertThat(removed.selected()).isTrue();
    assertThat(removed.name()).isEqualTo(stored.name());
    assertThat(p.rows()).last().isEqualTo(new DeleteEventsOfCalendar(CONNECTION, CALENDAR));
    assertThat(p.changes()).extracting(ReadModelChange::type).containsExactly(CalendarRemoved.TYPE);
    assertThat(
            project(
                new CalendarRemoved(CONNECTION, USER, T0.plusHours(1), CALENDAR), removed, null))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenAnUnknownCalendarIsRemovedThenItIsKeptAsRemovedAndDeselected() {
    CalendarRow removed =
        putCalendar(project(new CalendarRemoved(CONNECTION, USER, T0, CALENDAR), null, null));

    assertThat(removed.removed()).isTrue();
    assertThat(removed.selected()).isFalse();
  }

  // --- snapshots and generations -----------------------------------------------------------------

  @Test
  void whenASnapshotStartsThenTheHighestGenerationIsKeptAndNothingIsAnnounced() {
    Projection first = project(new SnapshotStarted(CONNECTION, USER, T0, CALENDAR, 2), null, null);
    CalendarRow started = putCalendar(first);

    assertThat(started.snapshotGeneration()).isEqualTo(2);
    assertThat(started.selected()).isTrue();
    assertThat(first.changes()).isEmpty();
    assertThat(project(new SnapshotStarted(CONNECTION, USER, T0, CALENDAR, 1), started, null))
        .isEqualTo(Projection.NONE);
    assertThat(
            putCalendar(
                    project(new SnapshotStarted(CONNECTION, USER, T0, CALENDAR, 3), started, null))
                .snapshotGeneration())
        .isEqualTo(3);
  }

  @Test
  void whenASnapshotCompletesThenRowsOfOlderGenerationsAreDeleted() {
    CalendarRow stored =
        new CalendarRow(
            CONNECTION, CALENDAR, USER, "Work", null, null, "owner", true, false, 2L, 1L, T0);

    Projection p =
        project(new SnapshotCompleted(CONNECTION, USER, T0, CALENDAR, 2, 10), stored, null);

    assertThat(putCalendar(p).completedGeneration()).isEqualTo(2);
    assertThat(p.rows()).last().isEqualTo(new DeleteEventsBefore(CONNECTION, CALENDAR, 2));
    assertThat(p.changes())
        .extracting(ReadModelChange::type)
        .containsExactly(SnapshotCompleted.TYPE);
  }

  @Test
  void whenACompletionIsReplayedOrStaleThenNothingHappens() {
    CalendarRow stored =
        new CalendarRow(
            CONNECTION, CALENDAR, USER, "Work", null, null, "owner", true, false, 2L, 2L, T0);

    assertThat(project(new SnapshotCompleted(CONNECTION, USER, T0, CALENDAR, 2, 10), stored, null))
        .isEqualTo(Projection.NONE);
    assertThat(project(new SnapshotCompleted(CONNECTION, USER, T0, CALENDAR, 1, 10), stored, null))
        .isEqualTo(Projection.NONE);
  }

  // --- connections -------------------------------------------------------------------------------

  @Test
  void whenConnectionStatusesArriveThenNewerWinsAndAnEqualTimeAppliesOnlyAnotherStatus() {
    Projection connected = projector.project(connected(T0), null, NOW);
    ConnectionRow active = ((PutConnection) connected.rows().get(0)).row();
    assertThat(active.status()).isEqualTo(ConnectionRow.ACTIVE);
    assertThat(connected.changes())
        .containsExactly(
            new ReadModelChange(ConnectionConnected.TYPE, USER, CONNECTION, null, null, T0));

    assertThat(projector.project(connected(T0), active, NOW)).isEqualTo(Projection.NONE);
    assertThat(projector.project(connected(T0.minusHours(1)), active, NOW))
        .isEqualTo(Projection.NONE);
    Projection reauth =
        projector.project(
            new ConnectionReauthRequired(CONNECTION, USER, T0, "invalid_grant"), active, NOW);
    assertThat(((PutConnection) reauth.rows().get(0)).row().status())
        .isEqualTo(ConnectionRow.REAUTH_REQUIRED);
  }

  @Test
  void whenAConnectionIsDisconnectedThenItsRowsGoAndItStaysAsATombstone() {
    ConnectionRow active = new ConnectionRow(CONNECTION, USER, ConnectionRow.ACTIVE, T0, null);

    Projection p =
        projector.project(
            new ConnectionDisconnected(CONNECTION, USER, T0.plusHours(1)), active, NOW);

    assertThat(p.rows())
        .containsExactly(
            new PutConnection(
                new ConnectionRow(
                    CONNECTION,
                    USER,
                    ConnectionRow.DISCONNECTED,
                    T0.plusHours(1),
                    T0.plusHours(1))),
            new DeleteRowsOfConnection(CONNECTION));
    ConnectionRow tombstone = ((PutConnection) p.rows().get(0)).row();
    assertThat(projector.project(connected(T0), tombstone, NOW)).isEqualTo(Projection.NONE);
    assertThat(
            projector.project(
                new ConnectionDisconnected(CONNECTION, USER, T0.plusHours(1)), tombstone, NOW))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenDisconnectedThenMessagesStampedAfterTheDisconnectAreSkippedToo() {
    // a run still in flight at sync-service is stamped by its own clock, maybe after the disconnect
    CurrentRows disconnected =
        new CurrentRows(
            new ConnectionRow(CONNECTION, USER, ConnectionRow.DISCONNECTED, T0, T0), null, null);

    assertThat(
            projector.project(
                upsertedAt(T0.plusMinutes(1), 1, timed("e", "v1", T0)), disconnected, NOW))
        .isEqualTo(Projection.NONE);
  }

  @Test
  void whenReconnectedThenTheConnectedLiftsTheTombstoneButKeepsTheDisconnectTime() {
    ConnectionRow tombstone =
        new ConnectionRow(CONNECTION, USER, ConnectionRow.DISCONNECTED, T0, T0);

    Projection p = projector.project(connected(T0.plusHours(1)), tombstone, NOW);

    assertThat(p.rows())
        .containsExactly(
            new PutConnection(
                new ConnectionRow(CONNECTION, USER, ConnectionRow.ACTIVE, T0.plusHours(1), T0)));
  }

  @Test
  void whenReconnectedThenMessagesOfBeforeTheDisconnectStaySkippedAndLaterOnesApply() {
    CurrentRows reconnected =
        new CurrentRows(
            new ConnectionRow(CONNECTION, USER, ConnectionRow.ACTIVE, T0.plusHours(1), T0),
            null,
            null);

    // a late message of the old run (or a replay), at or before the disconnect: nothing
    assertThat(
            projector.project(
                upsertedAt(T0.minusMinutes(1), 1, timed("e", "old", T0)), reconnected, NOW))
        .isEqualTo(Projection.NONE);
    assertThat(projector.project(upsertedAt(T0, 1, timed("e", "old", T0)), reconnected, NOW))
        .isEqualTo(Projection.NONE);
    assertThat(projector.project(calendarUpserted(true, T0), reconnected, NOW))
        .isEqualTo(Projection.NONE);
    assertThat(
            projector.project(
                new SnapshotCompleted(CONNECTION, USER, T0, CALENDAR, 2, 10), reconnected, NOW))
        .isEqualTo(Projection.NONE);
    // a message without a time cannot show it is newer
    assertThat(projector.project(upsertedAt(null, 1, timed("e", "old", T0)), reconnected, NOW))
        .isEqualTo(Projection.NONE);
    // the new run's messages apply
    assertThat(
            onlyEvent(
                    projector.project(
                        upsertedAt(T0.plusHours(2), 1, timed("e", "new", T0.plusHours(2))),
                        reconnected,
                        NOW))
                .title())
        .isEqualTo("new");
  }

  @Test
  void whenAStatusArrivesAtTheSameInstantAsTheDisconnectThenTheDisconnectStays() {
    ConnectionRow tombstone =
        new ConnectionRow(CONNECTION, USER, ConnectionRow.DISCONNECTED, T0, T0);

    assertThat(projector.project(connected(T0), tombstone, NOW)).isEqualTo(Projection.NONE);
    assertThat(
            projector.project(
                new ConnectionReauthRequired(CONNECTION, USER, T0, "invalid_grant"),
                tombstone,
                NOW))
        .isEqualTo(Projection.NONE);
  }

  // --- helpers
  // -------------------------------------------------------------------------------------

  private Projection project(
      io.calsync.contract.kafka.EventChangeMessage message, CalendarRow calendar, EventRow event) {
    return projector.project(message, new CurrentRows(null, calendar, event), NOW);
  }

  private static EventRow onlyEvent(Projection p) {
    assertThat(p.rows()).hasSize(1).first().isInstanceOf(PutEvent.class);
    return ((PutEvent) p.rows().get(0)).row();
  }

  private static CalendarRow putCalendar(Projection p) {
    assertThat(p.rows()).first().isInstanceOf(PutCalendar.class);
    return ((PutCalendar) p.rows().get(0)).row();
  }

  private static CalendarRow calendar(boolean selected, boolean removed, OffsetDateTime at) {
    return new CalendarRow(
        CONNECTION,
        CALENDAR,
        USER,
        "Work",
        "#0b8043",
        "Europe/Berlin",
        "owner",
        selected,
        removed,
        null,
        null,
        at);
  }

  private static CalendarUpserted calendarUpserted(boolean selected, OffsetDateTime at) {
    return new CalendarUpserted(
        CONNECTION,
        USER,
        at,
        CALENDAR,
        "a@example.com",
        "Work",
        "#0b8043",
        "Europe/Berlin",
        true,
        "owner",
        selected);
  }

  private static ConnectionConnected connected(OffsetDateTime at) {
    return new ConnectionConnected(CONNECTION, USER, at, "google", "a@example.com", List.of());
  }

  private static EventUpserted upserted(long generation, EventPayload event) {
    return new EventUpserted(CONNECTION, USER, T0, CALENDAR, generation, event);
  }

  private static EventUpserted upsertedAt(
      OffsetDateTime occurredAt, long generation, EventPayload event) {
    return new EventUpserted(CONNECTION, USER, occurredAt, CALENDAR, generation, event);
  }

  private static EventDeleted deleted(long generation, EventPayload event) {
    return new EventDeleted(CONNECTION, USER, T0, CALENDAR, generation, event);
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

  private static EventPayload cancelled(String id, OffsetDateTime updated, String etag) {
    return new EventPayload(
        id, "cancelled", null, null, null, null, null, null, null, null, null, updated, etag, null);
  }
}
