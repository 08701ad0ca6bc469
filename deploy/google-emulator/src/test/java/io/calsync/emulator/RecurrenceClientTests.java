package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.testing.MutableClock;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Series, instances, moved and cancelled exceptions, singleEvents expansion: real client. */
class RecurrenceClientTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator = GoogleEmulator.start(EmulatorOptions.defaults().withClock(CLOCK));
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Event weeklyBerlin(String summary, String start, String end, String... rules) {
    return new Event()
        .setSummary(summary)
        .setStart(new EventDateTime().setDateTime(new DateTime(start)).setTimeZone("Europe/Berlin"))
        .setEnd(new EventDateTime().setDateTime(new DateTime(end)).setTimeZone("Europe/Berlin"))
        .setRecurrence(List.of(rules));
  }

  static List<Event> expanded(Calendar calendar, boolean showDeleted) throws IOException {
    return calendar
        .events()
        .list("primary")
        .setSingleEvents(true)
        .setShowDeleted(showDeleted)
        .setOrderBy("startTime")
        .setMaxResults(2500)
        .execute()
        .getItems();
  }

  @Test
  void seriesExpandInTheirTimeZoneWithExdateAndRdate() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("expand@example.com"));
    // Mondays 09:00 Berlin across the DST change of 2027-03-28.
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Weekly",
                    "2027-03-15T09:00:00+01:00",
                    "2027-03-15T10:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4",
                    "EXDATE;TZID=Europe/Berlin:20270322T090000",
                    "RDATE;TZID=Europe/Berlin:20270410T090000"))
            .execute();
    assertThat(series.getRecurrence()).hasSize(3);

    List<Event> instances = expanded(calendar, false);
    assertThat(instances)
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20270315T080000Z",
            series.getId() + "_20270329T070000Z",
            series.getId() + "_20270405T070000Z",
            series.getId() + "_20270410T070000Z");
    Event afterDst = instances.get(1);
    assertThat(afterDst.getStart().getDateTime().toStringRfc3339())
        .isEqualTo("2027-03-29T09:00:00.000+02:00");
    assertThat(afterDst.getRecurringEventId()).isEqualTo(series.getId());
    assertThat(afterDst.getOriginalStartTime().getDateTime().getValue())
        .isEqualTo(afterDst.getStart().getDateTime().getValue());
    assertThat(afterDst.getRecurrence()).isNull();
    assertThat(afterDst.getICalUID()).isEqualTo(series.getICalUID());

    Events masters = calendar.events().list("primary").execute();
    assertThat(masters.getItems()).extracting(Event::getId).containsExactly(series.getId());

    List<Event> window =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setTimeMin(new DateTime("2027-03-29T07:30:00Z"))
            .setTimeMax(new DateTime("2027-04-05T07:00:00Z"))
            .execute()
            .getItems();
    assertThat(window)
        .extracting(Event::getId)
        .as("timeMin is on the end, timeMax on the start, exclusive")
        .containsExactly(series.getId() + "_20270329T070000Z");
  }

  @Test
  void movedAndCancelledInstancesBecomeExceptions() throws IOException {
    String email = "exceptions@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Standup",
                    "2026-11-30T09:00:00+01:00",
                    "2026-11-30T09:15:00+01:00",
                    "RRULE:FREQ=WEEKLY;COUNT=4"))
            .execute();
    String syncToken = calendar.events().list("primary").execute().getNextSyncToken();
    String singleToken =
        calendar.events().list("primary").setSingleEvents(true).execute().getNextSyncToken();

    String movedId = series.getId() + "_20261207T080000Z";
    String cancelledId = series.getId() + "_20261214T080000Z";
    Event moved =
        calendar
            .events()
            .patch(
                "primary",
                movedId,
                new Event()
                    .setStart(
                        new EventDateTime()
                            .setDateTime(new DateTime("2026-12-08T11:00:00+01:00"))
                            .setTimeZone("Europe/Berlin"))
                    .setEnd(
                        new EventDateTime()
                            .setDateTime(new DateTime("2026-12-08T11:15:00+01:00"))
                            .setTimeZone("Europe/Berlin")))
            .execute();
    assertThat(moved.getId()).isEqualTo(movedId);
    assertThat(moved.getRecurringEventId()).isEqualTo(series.getId());
    assertThat(moved.getOriginalStartTime().getDateTime().toStringRfc3339())
        .isEqualTo("2026-12-07T09:00:00.000+01:00");
    assertThat(moved.getSummary()).isEqualTo("Standup");
    calendar.events().delete("primary", cancelledId).execute();

    List<Event> instances = expanded(calendar, false);
    assertThat(instances)
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261130T080000Z", movedId, series.getId() + "_20261221T080000Z");
    assertThat(instances.get(1).getStart().getDateTime().toStringRfc3339())
        .isEqualTo("2026-12-08T11:00:00.000+01:00");

    Event cancelledShown =
        expanded(calendar, true).stream()
            .filter(e -> e.getId().equals(cancelledId))
            .findFirst()
            .orElseThrow();
    assertThat(cancelledShown.getStatus()).isEqualTo("cancelled");

    // singleEvents=false: the master, the moved instance and the cancelled instance (even
    // without showDeleted).
    List<Event> rows = calendar.events().list("primary").execute().getItems();
    assertThat(rows)
        .extracting(Event::getId)
        .containsExactlyInAnyOrder(series.getId(), movedId, cancelledId);

    Events delta = calendar.events().list("primary").setSyncToken(syncToken).execute();
    Event tombstone =
        delta.getItems().stream()
            .filter(e -> e.getId().equals(cancelledId))
            .findFirst()
            .orElseThrow();
    assertThat(tombstone.getStatus()).isEqualTo("cancelled");
    assertThat(tombstone.getRecurringEventId()).isEqualTo(series.getId());
    assertThat(tombstone.getOriginalStartTime().getDateTime().toStringRfc3339())
        .isEqualTo("2026-12-14T09:00:00.000+01:00");
    assertThat(tombstone.getSummary()).isNull();
    assertThat(tombstone.getStart()).isNull();
    assertThat(delta.getItems())
        .anyMatch(e -> e.getId().equals(movedId) && "confirmed".equals(e.getStatus()));

    Events singleDelta =
        calendar.events().list("primary").setSingleEvents(true).setSyncToken(singleToken).execute();
    assertThat(singleDelta.getItems())
        .extracting(Event::getId)
        .containsExactlyInAnyOrder(movedId, cancelledId);

    Events viaInstances = calendar.events().instances("primary", series.getId()).execute();
    assertThat(viaInstances.getItems())
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261130T080000Z", movedId, series.getId() + "_20261221T080000Z");

    Event got = calendar.events().get("primary", series.getId() + "_20261221T080000Z").execute();
    assertThat(got.getRecurringEventId()).isEqualTo(series.getId());
    assertThatThrownBy(
            () -> calendar.events().get("primary", series.getId() + "_20261222T080000Z").execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void deletingASeriesLeavesAnIdOnlyTombstoneAndCancelledInstances() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("series-delete@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Gone",
                    "2026-12-01T09:00:00+01:00",
                    "2026-12-01T10:00:00+01:00",
                    "RRULE:FREQ=DAILY;COUNT=3"))
            .execute();
    String token = calendar.events().list("primary").execute().getNextSyncToken();
    String singleToken =
        calendar.events().list("primary").setSingleEvents(true).execute().getNextSyncToken();
    calendar.events().delete("primary", series.getId()).execute();

    Events delta = calendar.events().list("primary").setSyncToken(token).execute();
    assertThat(delta.getItems()).hasSize(1);
    Event tombstone = delta.getItems().get(0);
    assertThat(tombstone.getId()).isEqualTo(series.getId());
    assertThat(tombstone.getStatus()).isEqualTo("cancelled");
    assertThat(tombstone.getRecurringEventId()).isNull();
    assertThat(tombstone.getSummary()).isNull();

    Events singleDelta =
        calendar.events().list("primary").setSingleEvents(true).setSyncToken(singleToken).execute();
    assertThat(singleDelta.getItems())
        .hasSize(3)
        .allMatch(
            e ->
                "cancelled".equals(e.getStatus())
                    && series.getId().equals(e.getRecurringEventId())
                    && e.getOriginalStartTime() != null);
    assertThat(expanded(calendar, false)).isEmpty();

    assertThatThrownBy(() -> calendar.events().delete("primary", series.getId()).execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(410));
  }

  @Test
  void allDaySeriesUseDateInstanceIds() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("allday-series@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                new Event()
                    .setSummary("Trip")
                    .setStart(new EventDateTime().setDate(new DateTime("2026-12-28")))
                    .setEnd(new EventDateTime().setDate(new DateTime("2026-12-29")))
                    .setRecurrence(List.of("RRULE:FREQ=DAILY;COUNT=3")))
            .execute();
    List<Event> instances = expanded(calendar, false);
    assertThat(instances)
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261228",
            series.getId() + "_20261229",
            series.getId() + "_20261230");
    assertThat(instances.get(2).getStart().getDate().toStringRfc3339()).isEqualTo("2026-12-30");
    assertThat(instances.get(2).getEnd().getDate().toStringRfc3339()).isEqualTo("2026-12-31");

    calendar.events().delete("primary", series.getId() + "_20261229").execute();
    assertThat(expanded(calendar, false)).hasSize(2);
  }

  @Test
  void updatingAnInstanceReplacesItsFields() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("update-instance@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Review",
                    "2026-12-02T14:00:00+01:00",
                    "2026-12-02T15:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;COUNT=2"))
            .execute();
    String instanceId = series.getId() + "_20261209T130000Z";
    Event instance = calendar.events().get("primary", instanceId).execute();
    instance.setSummary("Review (special)").setLocation("Room 7");
    Event updated = calendar.events().update("primary", instanceId, instance).execute();
    assertThat(updated.getSummary()).isEqualTo("Review (special)");
    assertThat(updated.getRecurringEventId()).isEqualTo(series.getId());
    assertThat(expanded(calendar, false))
        .extracting(Event::getSummary)
        .containsExactly("Review", "Review (special)");
  }

  @Test
  void openEndedSeriesAreExpandedUpToTimeMax() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("open@example.com"));
    calendar
        .events()
        .insert(
            "primary",
            weeklyBerlin(
                "Forever",
                "2026-11-30T08:00:00+01:00",
                "2026-11-30T08:30:00+01:00",
                "RRULE:FREQ=DAILY"))
        .execute();
    List<Event> items =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setTimeMin(new DateTime("2026-12-01T00:00:00Z"))
            .setTimeMax(new DateTime("2026-12-11T00:00:00Z"))
            .execute()
            .getItems();
    assertThat(items).hasSize(10);

    Events page =
        calendar.events().list("primary").setSingleEvents(true).setMaxResults(100).execute();
    assertThat(page.getItems()).hasSize(100);
    assertThat(page.getNextPageToken()).isNotNull();
  }

  @Test
  void oldSeriesStillReachIntoALaterWindow() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("old-series@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Since 2019",
                    "2019-01-01T08:00:00+01:00",
                    "2019-01-01T09:00:00+01:00",
                    "RRULE:FREQ=DAILY"))
            .execute();
    DateTime timeMin = new DateTime("2026-12-01T00:00:00Z");
    DateTime timeMax = new DateTime("2026-12-04T00:00:00Z");
    assertThat(
            calendar
                .events()
                .list("primary")
                .setTimeMin(timeMin)
                .setTimeMax(timeMax)
                .execute()
                .getItems())
        .extracting(Event::getId)
        .containsExactly(series.getId());
    assertThat(
            calendar
                .events()
                .list("primary")
                .setSingleEvents(true)
                .setTimeMin(timeMin)
                .setTimeMax(timeMax)
                .execute()
                .getItems())
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261201T070000Z",
            series.getId() + "_20261202T070000Z",
            series.getId() + "_20261203T070000Z");
  }

  @Test
  void editingASeriesTimeCancelsTheOldInstancesInSingleEventsSync() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("series-edit@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                weeklyBerlin(
                    "Moves",
                    "2026-12-07T09:00:00+01:00",
                    "2026-12-07T10:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;COUNT=3"))
            .execute();
    String token = calendar.events().list("primary").execute().getNextSyncToken();
    String singleToken =
        calendar.events().list("primary").setSingleEvents(true).execute().getNextSyncToken();
    calendar
        .events()
        .patch(
            "primary",
            series.getId(),
            new Event()
                .setStart(
                    new EventDateTime()
                        .setDateTime(new DateTime("2026-12-07T11:00:00+01:00"))
                        .setTimeZone("Europe/Berlin"))
                .setEnd(
                    new EventDateTime()
                        .setDateTime(new DateTime("2026-12-07T12:00:00+01:00"))
                        .setTimeZone("Europe/Berlin")))
        .execute();

    assertThat(calendar.events().list("primary").setSyncToken(token).execute().getItems())
        .as("singleEvents=false: just the master")
        .extracting(Event::getId)
        .containsExactly(series.getId());
    List<Event> single =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setSyncToken(singleToken)
            .execute()
            .getItems();
    assertThat(single).hasSize(6);
    assertThat(single)
        .filteredOn(e -> "cancelled".equals(e.getStatus()))
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261207T080000Z",
            series.getId() + "_20261214T080000Z",
            series.getId() + "_20261221T080000Z");
    assertThat(single)
        .filteredOn(e -> !"cancelled".equals(e.getStatus()))
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261207T100000Z",
            series.getId() + "_20261214T100000Z",
            series.getId() + "_20261221T100000Z");
  }
}
