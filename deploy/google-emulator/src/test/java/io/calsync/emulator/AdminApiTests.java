package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.testing.MutableClock;
import io.calsync.emulator.EmulatorClient.Response;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminApiTests {

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

  @Test
  void accountsAreCreatedOnceWithTheirPrimaryCalendar() {
    Response created = client.postJson("/emulator/v1/accounts", "{\"email\":\"a@example.com\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("email").asString()).isEqualTo("a@example.com");
    assertThat(created.json().get("primary_calendar_id").asString()).isEqualTo("a@example.com");
    assertThat(created.json().get("sub").asString()).matches("\\d{21}");
    Response again = client.postJson("/emulator/v1/accounts", "{\"email\":\"a@example.com\"}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("sub").asString()).isEqualTo(created.json().get("sub").asString());
    assertThat(client.postJson("/emulator/v1/accounts", "{\"email\":\"nope\"}").status())
        .isEqualTo(400);
  }

  @Test
  void accessTokenActsAsTheUserThroughTheCalendarApi() throws IOException {
    String token = client.accessToken("b@example.com");
    assertThat(token).startsWith("ya29.");
    Calendar calendar = client.calendar(token);
    assertThat(calendar.calendarList().list().execute().getItems().get(0).getId())
        .isEqualTo("b@example.com");
  }

  @Test
  void seedingTenThousandEventsIsFastVariedAndDeterministic() throws IOException {
    LocalDate today = LocalDate.of(2026, 11, 25);
    long started = System.nanoTime();
    Response seeded = client.seed("seed@example.com", "primary", 10_000, 30);
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(seeded.status()).isEqualTo(201);
    assertThat(seeded.json().get("created").asInt()).isEqualTo(10_000);
    assertThat(millis).as("seeding 10,000 events took %d ms", millis).isLessThan(15_000);

    Calendar calendar = client.calendar(client.accessToken("seed@example.com"));
    List<Event> all = new ArrayList<>();
    String pageToken = null;
    do {
      Events page =
          calendar.events().list("primary").setMaxResults(2500).setPageToken(pageToken).execute();
      all.addAll(page.getItems());
      pageToken = page.getNextPageToken();
    } while (pageToken != null);
    assertThat(all).hasSize(10_000);
    assertThat(all).anyMatch(e -> e.getStart().getDate() != null);
    assertThat(all).anyMatch(e -> e.getStart().getDateTime() != null && e.getRecurrence() == null);
    assertThat(all)
        .anyMatch(
            e -> e.getRecurrence() != null && e.getRecurrence().get(0).contains("FREQ=WEEKLY"));
    assertThat(all)
        .allMatch(
            e -> {
              LocalDate day =
                  e.getStart().getDate() != null
                      ? LocalDate.parse(e.getStart().getDate().toStringRfc3339())
                      : LocalDate.parse(
                          e.getStart().getDateTime().toStringRfc3339().substring(0, 10));
              return !day.isBefore(today.minusDays(1)) && day.isBefore(today.plusDays(31));
            });

    try (GoogleEmulator other = GoogleEmulator.start(EmulatorOptions.defaults().withClock(CLOCK))) {
      EmulatorClient otherClient = new EmulatorClient(other);
      otherClient.seed("seed@example.com", "primary", 10_000, 30);
      Calendar otherCalendar = otherClient.calendar(otherClient.accessToken("seed@example.com"));
      Events firstPage = otherCalendar.events().list("primary").setMaxResults(50).execute();
      for (int i = 0; i < 50; i++) {
        assertThat(firstPage.getItems().get(i).getId()).isEqualTo(all.get(i).getId());
        assertThat(firstPage.getItems().get(i).getSummary()).isEqualTo(all.get(i).getSummary());
      }
    }
  }

  @Test
  void seedingAnUnknownCalendarIs404() {
    client.postJson("/emulator/v1/accounts", "{\"email\":\"c@example.com\"}");
    assertThat(client.seed("c@example.com", "nope@group.calendar.google.com", 1, 1).status())
        .isEqualTo(404);
  }

  @Test
  void statsCountRequestsPerOperationAndReset() throws IOException {
    try (GoogleEmulator own = GoogleEmulator.start(EmulatorOptions.defaults().withClock(CLOCK))) {
      EmulatorClient ownClient = new EmulatorClient(own);
      Calendar calendar = ownClient.calendar(ownClient.accessToken("stats@example.com"));
      calendar.events().list("primary").execute();
      calendar.events().list("primary").execute();
      calendar.calendarList().list().execute();
      Response stats = ownClient.get("/emulator/v1/stats");
      assertThat(stats.json().get("requests").get("events.list").asInt()).isEqualTo(2);
      assertThat(stats.json().get("requests").get("calendarList.list").asInt()).isEqualTo(1);
      assertThat(ownClient.delete("/emulator/v1/stats").status()).isEqualTo(204);
      assertThat(ownClient.get("/emulator/v1/stats").json().get("requests").isEmpty()).isTrue();
    }
  }

  @Test
  void faultValidationAndUnknownCalendars() {
    assertThat(
            client
                .postJson("/emulator/v1/faults", "{\"operation\":\"nope\",\"status\":500}")
                .status())
        .isEqualTo(400);
    assertThat(
            client
                .postJson("/emulator/v1/faults", "{\"operation\":\"events.list\",\"status\":200}")
                .status())
        .isEqualTo(400);
    assertThat(
            client
                .postJson("/emulator/v1/calendars/nobody@example.com/invalidate-sync-tokens", "")
                .status())
        .isEqualTo(404);
    assertThat(client.get("/emulator/v1/health").json().get("status").asString()).isEqualTo("UP");
  }
}
