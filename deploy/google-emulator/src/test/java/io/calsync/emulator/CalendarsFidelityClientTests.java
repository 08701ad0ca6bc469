package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.testing.MutableClock;
import io.calsync.emulator.EmulatorClient.Response;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Calendars as real accounts have them: time zones, calendars the account only reads (reader,
 * freeBusyReader, holiday calendars that refuse push), incremental calendarList: real client.
 */
class CalendarsFidelityClientTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
  static final String HOLIDAYS = "en.german#holiday@group.v.calendar.google.com";
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

  static Event allDay(String summary, String date, String next) {
    return new Event()
        .setSummary(summary)
        .setStart(new EventDateTime().setDate(new DateTime(date)))
        .setEnd(new EventDateTime().setDate(new DateTime(next)));
  }

  static void assertGoogleError(Executable call, int status, String reason) {
    assertThatThrownBy(call::execute)
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(status);
              assertThat(EmulatorClient.reason(e)).isEqualTo(reason);
            });
  }

  static Response subscribe(String email, String calendarId, String role, Boolean refusesPush) {
    return client.postJson(
        "/emulator/v1/accounts/" + EmulatorClient.pathSegment(email) + "/subscriptions",
        "{\"calendar_id\":\""
            + calendarId
            + "\",\"access_role\":\""
            + role
            + "\""
            + (refusesPush == null ? "" : ",\"refuses_push\":" + refusesPush)
            + "}");
  }

  @Test
  void thePrimaryZoneIsSetAtAccountCreationAndAllDayWindowsFollowIt() throws IOException {
    Response created =
        client.postJson(
            "/emulator/v1/accounts",
            "{\"email\":\"la@example.com\",\"time_zone\":\"America/Los_Angeles\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("time_zone").asString()).isEqualTo("America/Los_Angeles");
    assertThat(
            client
                .postJson(
                    "/emulator/v1/accounts",
                    "{\"email\":\"x@example.com\",\"time_zone\":\"+02:00\"}")
                .status())
        .isEqualTo(400);

    Calendar calendar = client.calendar(client.accessToken("la@example.com"));
    assertThat(calendar.calendars().get("primary").execute().getTimeZone())
        .isEqualTo("America/Los_Angeles");
    assertThat(calendar.calendarList().list().execute().getItems().get(0).getTimeZone())
        .isEqualTo("America/Los_Angeles");
    Event day =
        calendar
            .events()
            .insert("primary", allDay("Day off", "2026-12-01", "2026-12-02"))
            .execute();
    // The all-day event ends at midnight in Los Angeles (08:00Z), not at UTC midnight.
    Events late =
        calendar
            .events()
            .list("primary")
            .setTimeMin(new DateTime("2026-12-02T05:00:00Z"))
            .execute();
    assertThat(late.getTimeZone()).isEqualTo("America/Los_Angeles");
    assertThat(late.getItems()).extracting(Event::getId).containsExactly(day.getId());
    assertThat(
            calendar
                .events()
                .list("primary")
                .setTimeMin(new DateTime("2026-12-02T08:00:00Z"))
                .execute()
                .getItems())
        .isEmpty();
  }

  @Test
  void calendarsInsertAndPatchTakeAnIanaTimeZone() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("zones@example.com"));
    for (String bad : List.of("+02:00", "Mars/Olympus", "GMT+2")) {
      assertGoogleError(
          () ->
              calendar
                  .calendars()
                  .insert(
                      new com.google.api.services.calendar.model.Calendar()
                          .setSummary("Bad")
                          .setTimeZone(bad))
                  .execute(),
          400,
          "invalid");
    }
    com.google.api.services.calendar.model.Calendar team =
        calendar
            .calendars()
            .insert(
                new com.google.api.services.calendar.model.Calendar()
                    .setSummary("Team")
                    .setTimeZone("Europe/Berlin"))
            .execute();
    assertThat(team.getTimeZone()).isEqualTo("Europe/Berlin");

    com.google.api.services.calendar.model.Calendar patched =
        calendar
            .calendars()
            .patch(
                team.getId(),
                new com.google.api.services.calendar.model.Calendar().setTimeZone("Asia/Tokyo"))
            .execute();
    assertThat(patched.getTimeZone()).isEqualTo("Asia/Tokyo");
    assertThat(patched.getSummary()).isEqualTo("Team");
    assertThat(calendar.calendars().get(team.getId()).execute().getTimeZone())
        .isEqualTo("Asia/Tokyo");
    assertThat(calendar.calendarList().get(team.getId()).execute().getTimeZone())
        .isEqualTo("Asia/Tokyo");
    assertGoogleError(
        () ->
            calendar
                .calendars()
                .patch(
                    team.getId(),
                    new com.google.api.services.calendar.model.Calendar().setTimeZone("Tokyo"))
                .execute(),
        400,
        "invalid");

    // December 1 in Tokyo starts at 15:00Z on November 30.
    Event first =
        calendar
            .events()
            .insert(team.getId(), allDay("First", "2026-12-01", "2026-12-02"))
            .execute();
    assertThat(
            calendar
                .events()
                .list(team.getId())
                .setTimeMax(new DateTime("2026-11-30T15:30:00Z"))
                .execute()
                .getItems())
        .extracting(Event::getId)
        .containsExactly(first.getId());
  }

  @Test
  void subscribedCalendarsShowTheirRoleAndReadersCannotWrite() throws IOException {
    Calendar colleague = client.calendar(client.accessToken("boss@example.com"));
    colleague
        .events()
        .insert(
            "primary",
            new Event()
                .setSummary("Salary review")
                .setDescription("Confidential")
                .setLocation("Room 1")
                .setAttendees(List.of(new EventAttendee().setEmail("hr@example.com")))
                .setStart(new EventDateTime().setDateTime(new DateTime("2026-12-01T10:00:00Z")))
                .setEnd(new EventDateTime().setDateTime(new DateTime("2026-12-01T11:00:00Z"))))
        .execute();
    Calendar holidays = client.calendar(client.accessToken(HOLIDAYS));
    holidays.events().insert("primary", allDay("Christmas", "2026-12-25", "2026-12-26")).execute();

    String email = "reader@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    assertThat(subscribe(email, "boss@example.com", "freeBusyReader", null).status())
        .isEqualTo(201);
    Response holidaysSubscribed = subscribe(email, HOLIDAYS, "reader", true);
    assertThat(holidaysSubscribed.status()).isEqualTo(201);
    assertThat(holidaysSubscribed.json().get("refuses_push").asBoolean()).isTrue();
    assertThat(subscribe(email, "nobody@example.com", "reader", null).status()).isEqualTo(404);
    assertThat(subscribe(email, HOLIDAYS, "owner", null).status()).isEqualTo(400);
    assertThat(subscribe(email, email, "reader", null).status()).isEqualTo(400);

    List<CalendarListEntry> entries = calendar.calendarList().list().execute().getItems();
    assertThat(entries)
        .extracting(CalendarListEntry::getId, CalendarListEntry::getAccessRole)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(email, "owner"),
            org.assertj.core.groups.Tuple.tuple("boss@example.com", "freeBusyReader"),
            org.assertj.core.groups.Tuple.tuple(HOLIDAYS, "reader"));
    assertThat(entries.get(1).getPrimary()).as("only the own primary is primary").isNull();
    assertThat(calendar.calendarList().list().setMinAccessRole("reader").execute().getItems())
        .extracting(CalendarListEntry::getId)
        .containsExactly(email, HOLIDAYS);

    Events busy = calendar.events().list("boss@example.com").execute();
    assertThat(busy.getAccessRole()).isEqualTo("freeBusyReader");
    Event slot = busy.getItems().get(0);
    assertThat(slot.getStart().getDateTime().getValue())
        .isEqualTo(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    assertThat(slot.getEnd()).isNotNull();
    assertThat(slot.getSummary()).isNull();
    assertThat(slot.getDescription()).isNull();
    assertThat(slot.getLocation()).isNull();
    assertThat(slot.getAttendees()).isNull();
    assertThat(slot.getOrganizer()).isNull();
    assertThat(calendar.events().get("boss@example.com", slot.getId()).execute().getSummary())
        .isNull();
    assertThat(calendar.events().list(HOLIDAYS).execute().getItems().get(0).getSummary())
        .isEqualTo("Christmas");

    assertGoogleError(
        () ->
            calendar
                .events()
                .insert(HOLIDAYS, allDay("Mine", "2026-12-02", "2026-12-03"))
                .execute(),
        403,
        "requiredAccessLevel");
    assertGoogleError(
        () -> calendar.events().delete("boss@example.com", slot.getId()).execute(),
        403,
        "requiredAccessLevel");
    assertGoogleError(
        () -> calendar.calendars().delete(HOLIDAYS).execute(), 403, "requiredAccessLevel");
  }

  @Test
  void watchOnACalendarThatRefusesPushAnswers400() throws IOException {
    String owner = "de.holidays#holiday@group.v.calendar.google.com";
    client.accessToken(owner);
    String email = "watcher@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    assertThat(subscribe(email, owner, "reader", true).status()).isEqualTo(201);
    Channel channel =
        new Channel().setId("holidays-1").setType("web_hook").setAddress("https://example.com/h");
    assertThatThrownBy(() -> calendar.events().watch(owner, channel).execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(e.getDetails().getMessage())
                  .isEqualTo("Push notifications are not supported by this resource.");
              assertThat(e.getDetails().getErrors().get(0).getDomain()).isEqualTo("global");
              assertThat(EmulatorClient.reason(e))
                  .isEqualTo("pushNotSupportedForRequestedResource");
            });
  }

  @Test
  void incrementalCalendarListReturnsOnlyWhatChanged() throws IOException {
    String email = "delta@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    client.accessToken("peer@example.com");
    String token0 = calendar.calendarList().list().execute().getNextSyncToken();

    com.google.api.services.calendar.model.Calendar team =
        calendar
            .calendars()
            .insert(new com.google.api.services.calendar.model.Calendar().setSummary("Team"))
            .execute();
    CalendarList added = calendar.calendarList().list().setSyncToken(token0).execute();
    assertThat(added.getItems()).extracting(CalendarListEntry::getId).containsExactly(team.getId());
    String token1 = added.getNextSyncToken();
    assertThat(calendar.calendarList().list().setSyncToken(token1).execute().getItems()).isEmpty();

    // Calendar properties are read-only fields of the entry: a patch does not bring it back.
    calendar
        .calendars()
        .patch(
            team.getId(),
            new com.google.api.services.calendar.model.Calendar().setTimeZone("Europe/Paris"))
        .execute();
    assertThat(calendar.calendarList().list().setSyncToken(token1).execute().getItems()).isEmpty();

    subscribe(email, "peer@example.com", "reader", null);
    CalendarList subscribed = calendar.calendarList().list().setSyncToken(token1).execute();
    assertThat(subscribed.getItems())
        .extracting(CalendarListEntry::getId)
        .containsExactly("peer@example.com");

    calendar.calendars().delete(team.getId()).execute();
    CalendarList removed =
        calendar.calendarList().list().setSyncToken(subscribed.getNextSyncToken()).execute();
    assertThat(removed.getItems()).hasSize(1);
    assertThat(removed.getItems().get(0).getId()).isEqualTo(team.getId());
    assertThat(removed.getItems().get(0).getDeleted()).isTrue();
    assertThat(
            calendar
                .calendarList()
                .list()
                .setSyncToken(token1)
                .setShowDeleted(true)
                .setShowHidden(true)
                .execute()
                .getItems())
        .extracting(CalendarListEntry::getId)
        .containsExactlyInAnyOrder("peer@example.com", team.getId());

    assertGoogleError(
        () ->
            calendar
                .calendarList()
                .list()
                .setSyncToken(token1)
                .setMinAccessRole("reader")
                .execute(),
        400,
        "invalid");
    assertGoogleError(
        () -> calendar.calendarList().list().setSyncToken(token1).setShowDeleted(false).execute(),
        400,
        "invalid");
    assertGoogleError(
        () -> calendar.calendarList().list().setSyncToken(token1).setShowHidden(false).execute(),
        400,
        "invalid");
  }

  @Test
  void ifNoneMatchWithTheCurrentEtagAnswers304() throws IOException {
    String email = "etag@example.com";
    String token = client.accessToken(email);
    Calendar calendar = client.calendar(token);
    Event event =
        calendar.events().insert("primary", allDay("Cached", "2026-12-03", "2026-12-04")).execute();
    String path = "/calendar/v3/calendars/primary/events/" + event.getId();
    Response notModified = client.send(conditional(path, token, event.getEtag()));
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(client.send(conditional(path, token, "\"stale\"")).status()).isEqualTo(200);

    String calendarEtag = calendar.calendars().get("primary").execute().getEtag();
    assertThat(
            client
                .send(conditional("/calendar/v3/calendars/primary", token, calendarEtag))
                .status())
        .isEqualTo(304);
    String entryEtag = calendar.calendarList().get("primary").execute().getEtag();
    String entryPath =
        "/calendar/v3/users/me/calendarList/" + URLEncoder.encode(email, StandardCharsets.UTF_8);
    assertThat(client.send(conditional(entryPath, token, entryEtag)).status()).isEqualTo(304);

    calendar.events().patch("primary", event.getId(), new Event().setSummary("Changed")).execute();
    assertThat(client.send(conditional(path, token, event.getEtag())).status()).isEqualTo(200);
  }

  static java.net.http.HttpRequest conditional(String path, String token, String etag) {
    return java.net.http.HttpRequest.newBuilder(client.uri(path))
        .header("Authorization", "Bearer " + token)
        .header("If-None-Match", etag)
        .GET()
        .build();
  }

  @Test
  void pageTokensOnlyContinueTheirOwnCalendarAndQuery() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("pages@example.com"));
    for (int i = 0; i < 3; i++) {
      calendar
          .events()
          .insert("primary", allDay("Day " + i, "2026-12-0" + (i + 1), "2026-12-0" + (i + 2)))
          .execute();
    }
    com.google.api.services.calendar.model.Calendar other =
        calendar
            .calendars()
            .insert(new com.google.api.services.calendar.model.Calendar().setSummary("Other"))
            .execute();
    String pageToken =
        calendar.events().list("primary").setMaxResults(1).execute().getNextPageToken();
    assertThat(pageToken).isNotNull();
    assertThat(
            calendar
                .events()
                .list("primary")
                .setMaxResults(1)
                .setPageToken(pageToken)
                .execute()
                .getItems())
        .hasSize(1);

    assertGoogleError(
        () -> calendar.events().list(other.getId()).setPageToken(pageToken).execute(),
        400,
        "invalid");
    assertGoogleError(
        () ->
            calendar
                .events()
                .list("primary")
                .setSingleEvents(true)
                .setPageToken(pageToken)
                .execute(),
        400,
        "invalid");
    assertGoogleError(
        () ->
            calendar
                .events()
                .list("primary")
                .setTimeMin(new DateTime("2026-12-01T00:00:00Z"))
                .setPageToken(pageToken)
                .execute(),
        400,
        "invalid");
  }
}
