package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.testing.MutableClock;
import io.calsync.emulator.EmulatorClient.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** events.list paging and sync tokens, calendarList, insert, auth errors: with the real client. */
class EventsSyncClientTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator =
        GoogleEmulator.start(
            EmulatorOptions.defaults().withRedirectUris(EmulatorClient.REDIRECT).withClock(CLOCK));
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static Event timed(String summary, String start, String end) {
    return new Event()
        .setSummary(summary)
        .setStart(new EventDateTime().setDateTime(new DateTime(start)))
        .setEnd(new EventDateTime().setDateTime(new DateTime(end)));
  }

  /** Full sync: follow pages to the end; returns all items and asserts the token rule. */
  static List<Event> fullSync(
      Calendar calendar, String calendarId, int maxResults, List<Events> pages) throws IOException {
    List<Event> items = new ArrayList<>();
    String pageToken = null;
    do {
      Events page =
          calendar
              .events()
              .list(calendarId)
              .setMaxResults(maxResults)
              .setPageToken(pageToken)
              .execute();
      pages.add(page);
      items.addAll(page.getItems());
      pageToken = page.getNextPageToken();
      if (pageToken != null) {
        assertThat(page.getNextSyncToken()).as("nextSyncToken only on the last page").isNull();
      } else {
        assertThat(page.getNextSyncToken()).as("last page has nextSyncToken").isNotNull();
      }
    } while (pageToken != null);
    return items;
  }

  @Test
  void calendarListShowsPrimaryFirstAndSecondaryCalendarsJoin() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("list@example.com"));
    com.google.api.services.calendar.model.Calendar created =
        calendar
            .calendars()
            .insert(
                new com.google.api.services.calendar.model.Calendar()
                    .setSummary("Team")
                    .setTimeZone("Europe/Berlin"))
            .execute();
    assertThat(created.getId()).endsWith("@group.calendar.google.com");

    CalendarList list = calendar.calendarList().list().execute();
    assertThat(list.getKind()).isEqualTo("calendar#calendarList");
    assertThat(list.getItems()).hasSize(2);
    assertThat(list.getItems().get(0).getId()).isEqualTo("list@example.com");
    assertThat(list.getItems().get(0).getPrimary()).isTrue();
    assertThat(list.getItems().get(0).getAccessRole()).isEqualTo("owner");
    assertThat(list.getItems().get(1).getId()).isEqualTo(created.getId());
    assertThat(list.getItems().get(1).getPrimary()).isNull();
    assertThat(list.getNextSyncToken()).isNotNull();

    CalendarList first = calendar.calendarList().list().setMaxResults(1).execute();
    assertThat(first.getItems()).hasSize(1);
    assertThat(first.getNextSyncToken()).isNull();
    CalendarList second =
        calendar
            .calendarList()
            .list()
            .setMaxResults(1)
            .setPageToken(first.getNextPageToken())
            .execute();
    assertThat(second.getItems().get(0).getId()).isEqualTo(created.getId());
    assertThat(second.getNextSyncToken()).isNotNull();

    String listToken = calendar.calendarList().list().execute().getNextSyncToken();
    calendar.calendars().delete(created.getId()).execute();
    CalendarList changes = calendar.calendarList().list().setSyncToken(listToken).execute();
    assertThat(changes.getItems())
        .anySatisfy(
            entry -> {
              assertThat(entry.getId()).isEqualTo(created.getId());
              assertThat(entry.getDeleted()).isTrue();
            });
    assertThat(calendar.calendarList().list().execute().getItems()).hasSize(1);
    assertThatThrownBy(() -> calendar.events().list(created.getId()).execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(EmulatorClient.reason(e)).isEqualTo("notFound");
            });
  }

  @Test
  void insertedEventsHaveGoogleShapes() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("insert@example.com"));
    Event event =
        calendar
            .events()
            .insert(
                "primary", timed("Lunch", "2026-11-26T12:00:00+01:00", "2026-11-26T13:00:00+01:00"))
            .execute();
    assertThat(event.getKind()).isEqualTo("calendar#event");
    assertThat(event.getId()).matches("[a-v0-9]{5,}");
    assertThat(event.getStatus()).isEqualTo("confirmed");
    assertThat(event.getEtag()).startsWith("\"").endsWith("\"");
    assertThat(event.getICalUID()).isEqualTo(event.getId() + "@google.com");
    assertThat(event.getStart().getDateTime().getTimeZoneShift()).isEqualTo(60);
    assertThat(event.getOrganizer().getEmail()).isEqualTo("insert@example.com");

    Event fetched = calendar.events().get("insert@example.com", event.getId()).execute();
    assertThat(fetched.getSummary()).isEqualTo("Lunch");

    Event allDay =
        calendar
            .events()
            .insert(
                "primary",
                new Event()
                    .setSummary("Holiday")
                    .setStart(new EventDateTime().setDate(new DateTime("2026-12-24")))
                    .setEnd(new EventDateTime().setDate(new DateTime("2026-12-25"))))
            .execute();
    assertThat(allDay.getStart().getDate().isDateOnly()).isTrue();

    Response raw =
        client.get(
            "/calendar/v3/calendars/primary/events/" + event.getId(),
            client.accessToken("insert@example.com"));
    assertThat(raw.json().get("updated").asString())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(raw.json().get("etag").asString()).matches("\"\\d+\"");
    assertThat(raw.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");

    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .insert(
                        "primary",
                        new Event()
                            .setSummary("x")
                            .setStart(
                                new EventDateTime()
                                    .setDateTime(new DateTime("2026-11-26T12:00:00Z"))))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
  }

  @Test
  void fullSyncPagesCanBeShortAndOnlyTheLastCarriesTheSyncToken() throws IOException {
    String email = "paging@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    assertThat(client.seed(email, "primary", 1100, 30).json().get("created").asInt())
        .isEqualTo(1100);
    List<Events> pages = new ArrayList<>();
    List<Event> all = fullSync(calendar, "primary", 300, pages);

    assertThat(all).hasSize(1100);
    assertThat(all.stream().map(Event::getId).distinct().count()).isEqualTo(1100);
    assertThat(pages).hasSizeGreaterThan(1);
    assertThat(pages.subList(0, pages.size() - 1))
        .as("some page before the last is short while more exist")
        .anyMatch(p -> p.getItems().size() < 300 && p.getNextPageToken() != null);
    assertThat(pages).allMatch(p -> p.getItems().size() <= 300);
  }

  @Test
  void deletedEventsShortenPagesAndComeBackAsTombstonesInIncrementalSync() throws IOException {
    String email = "incremental@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    List<Event> created = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      created.add(
          calendar
              .events()
              .insert(
                  "primary",
                  timed(
                      "E" + i,
                      "2026-11-27T0" + (i % 9) + ":00:00Z",
                      "2026-11-27T0" + (i % 9) + ":30:00Z"))
              .execute());
    }
    List<Events> pages = new ArrayList<>();
    List<Event> first = fullSync(calendar, "primary", 5, pages);
    assertThat(first).hasSize(12);
    String syncToken = pages.get(pages.size() - 1).getNextSyncToken();

    calendar.events().delete("primary", created.get(0).getId()).execute();
    calendar.events().delete("primary", created.get(1).getId()).execute();
    calendar.events().delete("primary", created.get(2).getId()).execute();
    calendar
        .events()
        .patch("primary", created.get(5).getId(), new Event().setSummary("Moved"))
        .execute();
    Event added =
        calendar
            .events()
            .insert("primary", timed("New", "2026-11-28T10:00:00Z", "2026-11-28T11:00:00Z"))
            .execute();

    Events delta = calendar.events().list("primary").setSyncToken(syncToken).execute();
    assertThat(delta.getNextSyncToken()).isNotNull();
    assertThat(delta.getItems()).hasSize(5);
    Event tombstone =
        delta.getItems().stream()
            .filter(e -> e.getId().equals(created.get(0).getId()))
            .findFirst()
            .orElseThrow();
    assertThat(tombstone.getStatus()).isEqualTo("cancelled");
    assertThat(tombstone.getSummary()).isNull();
    assertThat(tombstone.getStart()).isNull();
    assertThat(delta.getItems()).anyMatch(e -> e.getId().equals(added.getId()));
    assertThat(delta.getItems()).anyMatch(e -> "Moved".equals(e.getSummary()));

    Events nothing =
        calendar.events().list("primary").setSyncToken(delta.getNextSyncToken()).execute();
    assertThat(nothing.getItems()).isEmpty();
    assertThat(nothing.getNextSyncToken()).isNotNull();

    // A full listing without showDeleted skips the 3 tombstones: short pages while more exist.
    List<Events> afterPages = new ArrayList<>();
    List<Event> after = fullSync(calendar, "primary", 5, afterPages);
    assertThat(after).hasSize(10);
    assertThat(afterPages.get(0).getItems()).hasSizeLessThan(5);
    assertThat(afterPages.get(0).getNextPageToken()).isNotNull();

    List<Event> withDeleted =
        calendar
            .events()
            .list("primary")
            .setShowDeleted(true)
            .setMaxResults(2500)
            .execute()
            .getItems();
    assertThat(withDeleted).hasSize(13);
    List<Event> sinceStart =
        calendar
            .events()
            .list("primary")
            .setUpdatedMin(new DateTime(CLOCK.millis() - 1000))
            .setMaxResults(2500)
            .execute()
            .getItems();
    assertThat(sinceStart).as("updatedMin includes deletions").hasSize(13);
  }

  @Test
  void incrementalSyncPagesFollowTheSameRules() throws IOException {
    String email = "incpages@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    String token = calendar.events().list("primary").execute().getNextSyncToken();
    for (int i = 0; i < 7; i++) {
      calendar
          .events()
          .insert("primary", timed("I" + i, "2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z"))
          .execute();
    }
    Set<String> seen = new HashSet<>();
    String pageToken = null;
    String next = null;
    int pagesSeen = 0;
    do {
      Events page =
          calendar
              .events()
              .list("primary")
              .setSyncToken(token)
              .setMaxResults(3)
              .setPageToken(pageToken)
              .execute();
      pagesSeen++;
      page.getItems().forEach(e -> seen.add(e.getId()));
      pageToken = page.getNextPageToken();
      if (pageToken != null) {
        assertThat(page.getNextSyncToken()).isNull();
      } else {
        next = page.getNextSyncToken();
      }
    } while (pageToken != null);
    assertThat(seen).hasSize(7);
    assertThat(pagesSeen).isEqualTo(3);
    assertThat(next).isNotNull();
  }

  @Test
  void parametersForbiddenWithASyncTokenAnswer400() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("forbidden@example.com"));
    String token = calendar.events().list("primary").execute().getNextSyncToken();
    List<Calendar.Events.List> forbidden =
        List.of(
            calendar.events().list("primary").setSyncToken(token).setICalUID("x@google.com"),
            calendar.events().list("primary").setSyncToken(token).setOrderBy("updated"),
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setPrivateExtendedProperty(List.of("a=b")),
            calendar.events().list("primary").setSyncToken(token).setQ("lunch"),
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setSharedExtendedProperty(List.of("a=b")),
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setTimeMin(new DateTime("2026-11-01T00:00:00Z")),
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setTimeMax(new DateTime("2026-12-01T00:00:00Z")),
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setUpdatedMin(new DateTime("2026-11-01T00:00:00Z")));
    for (Calendar.Events.List request : forbidden) {
      assertThatThrownBy(request::execute)
          .isInstanceOfSatisfying(
              GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }
    assertThat(
            calendar
                .events()
                .list("primary")
                .setSyncToken(token)
                .setSingleEvents(true)
                .setShowDeleted(true)
                .execute()
                .getNextSyncToken())
        .as("allowed together")
        .isNotNull();
  }

  @Test
  void invalidatedSyncTokensAnswer410FullSyncRequired() throws IOException {
    String email = "gone@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    String token = calendar.events().list("primary").execute().getNextSyncToken();
    Response invalidate =
        client.postJson("/emulator/v1/calendars/" + email + "/invalidate-sync-tokens", "");
    assertThat(invalidate.status()).isEqualTo(204);

    assertThatThrownBy(() -> calendar.events().list("primary").setSyncToken(token).execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(410);
              assertThat(e.getDetails().getErrors().get(0).getReason())
                  .isEqualTo("fullSyncRequired");
              assertThat(e.getDetails().getErrors().get(0).getDomain()).isEqualTo("calendar");
              assertThat(e.getDetails().getErrors().get(0).getLocation()).isEqualTo("syncToken");
            });
    String fresh = calendar.events().list("primary").execute().getNextSyncToken();
    assertThat(calendar.events().list("primary").setSyncToken(fresh).execute().getItems())
        .isEmpty();
    assertThatThrownBy(() -> calendar.events().list("primary").setSyncToken("garbage").execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(410));
  }

  @Test
  void timeWindowFiltersOnEndAndStartExclusivelyAndEmptyRangesAre400() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("window@example.com"));
    calendar
        .events()
        .insert("primary", timed("A", "2026-12-01T09:00:00Z", "2026-12-01T10:00:00Z"))
        .execute();
    calendar
        .events()
        .insert("primary", timed("B", "2026-12-01T10:00:00Z", "2026-12-01T11:00:00Z"))
        .execute();
    calendar
        .events()
        .insert("primary", timed("C", "2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z"))
        .execute();

    List<Event> items =
        calendar
            .events()
            .list("primary")
            .setTimeMin(new DateTime("2026-12-01T10:00:00.000Z"))
            .setTimeMax(new DateTime("2026-12-01T11:00:00.000Z"))
            .execute()
            .getItems();
    assertThat(items).extracting(Event::getSummary).containsExactly("B");

    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .list("primary")
                    .setTimeMin(new DateTime("2026-12-01T11:00:00Z"))
                    .setTimeMax(new DateTime("2026-12-01T10:00:00Z"))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(EmulatorClient.reason(e)).isEqualTo("timeRangeEmpty");
            });
    assertThatThrownBy(() -> calendar.events().list("primary").setOrderBy("startTime").execute())
        .as("orderBy=startTime needs singleEvents")
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    Events ordered =
        calendar.events().list("primary").setSingleEvents(true).setOrderBy("startTime").execute();
    assertThat(ordered.getItems()).extracting(Event::getSummary).containsExactly("A", "B", "C");
    assertThat(ordered.getNextSyncToken()).as("no sync token with orderBy").isNull();
  }

  @Test
  void unknownOrExpiredAccessTokensAnswer401AuthError() {
    Calendar unknown = client.calendar("ya29.not-a-token");
    assertThatThrownBy(() -> unknown.calendarList().list().execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(401);
              assertThat(EmulatorClient.reason(e)).isEqualTo("authError");
              assertThat(e.getDetails().getErrors().get(0).getLocation())
                  .isEqualTo("Authorization");
            });

    MutableClock clock = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
    try (GoogleEmulator own =
        GoogleEmulator.start(
            EmulatorOptions.defaults()
                .withRedirectUris(EmulatorClient.REDIRECT)
                .withClock(clock))) {
      EmulatorClient ownClient = new EmulatorClient(own);
      Calendar calendar = ownClient.calendar(ownClient.accessToken("expiry@example.com"));
      clock.advance(Duration.ofSeconds(3598));
      org.assertj.core.api.Assertions.assertThatCode(() -> calendar.calendarList().list().execute())
          .doesNotThrowAnyException();
      clock.advance(Duration.ofSeconds(2));
      assertThatThrownBy(() -> calendar.events().list("primary").execute())
          .isInstanceOfSatisfying(
              GoogleJsonResponseException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(401);
                assertThat(EmulatorClient.reason(e)).isEqualTo("authError");
              });
    }
  }

  @Test
  void readOnlyScopeCannotWrite() {
    Response token;
    java.util.Map<String, String> redirect =
        client.authorize("readonly@example.com", EmulatorClient.READONLY_SCOPE, java.util.Map.of());
    token = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);
    Calendar calendar = client.calendar(token.json().get("access_token").asString());
    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .insert("primary", timed("x", "2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z"))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(403);
              assertThat(EmulatorClient.reason(e)).isEqualTo("insufficientPermissions");
              assertThat(e.getDetails().getMessage())
                  .isEqualTo("Request had insufficient authentication scopes.");
            });
    org.assertj.core.api.Assertions.assertThatCode(
            () -> calendar.events().list("primary").execute())
        .doesNotThrowAnyException();
  }

  @Test
  void eventsCreatedWhilePagingAreNotLost() throws IOException {
    String email = "while-paging@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    for (int i = 0; i < 6; i++) {
      calendar
          .events()
          .insert("primary", timed("P" + i, "2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z"))
          .execute();
    }
    Events first = calendar.events().list("primary").setMaxResults(3).execute();
    assertThat(first.getNextPageToken()).isNotNull();
    Event during =
        calendar
            .events()
            .insert("primary", timed("During", "2026-11-27T12:00:00Z", "2026-11-27T13:00:00Z"))
            .execute();
    Set<String> seen = new HashSet<>();
    first.getItems().forEach(e -> seen.add(e.getId()));
    String pageToken = first.getNextPageToken();
    String syncToken = null;
    while (pageToken != null) {
      Events page =
          calendar.events().list("primary").setMaxResults(3).setPageToken(pageToken).execute();
      page.getItems().forEach(e -> seen.add(e.getId()));
      pageToken = page.getNextPageToken();
      syncToken = page.getNextSyncToken();
    }
    Events delta = calendar.events().list("primary").setSyncToken(syncToken).execute();
    delta.getItems().forEach(e -> seen.add(e.getId()));
    assertThat(seen).contains(during.getId()).hasSize(7);
    assertThat(delta.getItems()).extracting(Event::getId).contains(during.getId());
  }
}
