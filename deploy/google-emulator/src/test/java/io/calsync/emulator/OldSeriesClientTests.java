package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.testing.MutableClock;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Series that started years ago show up in any window, as at Google (sync-service's full sync lists
 * with timeMin): the expansion skips ahead to the window instead of counting from the series'
 * start.
 */
class OldSeriesClientTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-25T10:00:00Z"));
  static final DateTime NOV_1 = new DateTime("2026-11-01T00:00:00Z");
  static final DateTime DEC_1 = new DateTime("2026-12-01T00:00:00Z");
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

  static Event timed(String summary, String start, String end, String rule) {
    return new Event()
        .setSummary(summary)
        .setStart(new EventDateTime().setDateTime(new DateTime(start)).setTimeZone("Europe/Berlin"))
        .setEnd(new EventDateTime().setDateTime(new DateTime(end)).setTimeZone("Europe/Berlin"))
        .setRecurrence(List.of(rule));
  }

  @Test
  void aWeeklySeriesFrom2020IsListedWithTimeMinWithAndWithoutTimeMax() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("old-weekly@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                timed(
                    "Weekly since 2020",
                    "2020-01-06T09:00:00+01:00",
                    "2020-01-06T10:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO"))
            .execute();
    Event finished =
        calendar
            .events()
            .insert(
                "primary",
                timed(
                    "Ten weeks in 2020",
                    "2020-01-07T09:00:00+01:00",
                    "2020-01-07T10:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;COUNT=10"))
            .execute();

    Events masters = calendar.events().list("primary").setTimeMin(NOV_1).execute();
    assertThat(masters.getItems()).extracting(Event::getId).containsExactly(series.getId());
    Events bounded =
        calendar.events().list("primary").setTimeMin(NOV_1).setTimeMax(DEC_1).execute();
    assertThat(bounded.getItems()).extracting(Event::getId).containsExactly(series.getId());
    assertThat(calendar.events().list("primary").execute().getItems())
        .extracting(Event::getId)
        .containsExactlyInAnyOrder(series.getId(), finished.getId());

    Events instances =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setTimeMin(NOV_1)
            .setTimeMax(DEC_1)
            .execute();
    assertThat(instances.getItems())
        .extracting(Event::getId)
        .containsExactly(
            series.getId() + "_20261102T080000Z",
            series.getId() + "_20261109T080000Z",
            series.getId() + "_20261116T080000Z",
            series.getId() + "_20261123T080000Z",
            series.getId() + "_20261130T080000Z");
    assertThat(instances.getItems().get(0).getStart().getDateTime().toStringRfc3339())
        .isEqualTo("2026-11-02T09:00:00.000+01:00");
  }

  @Test
  void anOpenEndedSeriesPagesThroughItsInstancesFromTheWindow() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("old-paged@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                timed(
                    "Weekly since 2020",
                    "2020-01-06T09:00:00+01:00",
                    "2020-01-06T10:00:00+01:00",
                    "RRULE:FREQ=WEEKLY;BYDAY=MO"))
            .execute();
    // The full-sync shape: singleEvents, timeMin, no timeMax, small pages.
    List<String> ids = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    do {
      Events page =
          calendar
              .events()
              .list("primary")
              .setSingleEvents(true)
              .setTimeMin(NOV_1)
              .setMaxResults(40)
              .setPageToken(pageToken)
              .execute();
      page.getItems().forEach(e -> ids.add(e.getId()));
      pageToken = page.getNextPageToken();
      pages++;
      assertThat(pageToken == null).isEqualTo(page.getNextSyncToken() != null);
    } while (pageToken != null);
    assertThat(pages).isGreaterThan(1);
    assertThat(ids.get(0)).isEqualTo(series.getId() + "_20261102T080000Z");
    assertThat(ids).doesNotHaveDuplicates();
    // Expanded up to the horizon, two years after "now" (2026-11-25).
    assertThat(ids.get(ids.size() - 1)).startsWith(series.getId() + "_202811");
  }

  @Test
  void anHourlySeriesFromYearsAgoIsExpandedInTheWindowOnly() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("old-hourly@example.com"));
    Event series =
        calendar
            .events()
            .insert(
                "primary",
                timed(
                    "Hourly since 2020",
                    "2020-01-01T00:00:00+01:00",
                    "2020-01-01T00:30:00+01:00",
                    "RRULE:FREQ=HOURLY"))
            .execute();
    Events day =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setTimeMin(new DateTime("2026-11-02T00:00:00Z"))
            .setTimeMax(new DateTime("2026-11-03T00:00:00Z"))
            .execute();
    assertThat(day.getItems()).hasSize(24);
    assertThat(day.getItems().get(0).getId()).isEqualTo(series.getId() + "_20261102T000000Z");
  }

  @Test
  void aYearlyAllDaySeriesFromLongAgoIsListed() throws IOException {
    Calendar calendar = client.calendar(client.accessToken("old-birthday@example.com"));
    Event birthday =
        calendar
            .events()
            .insert(
                "primary",
                new Event()
                    .setSummary("Birthday")
                    .setStart(new EventDateTime().setDate(new DateTime("2001-11-20")))
                    .setEnd(new EventDateTime().setDate(new DateTime("2001-11-21")))
                    .setRecurrence(List.of("RRULE:FREQ=YEARLY")))
            .execute();
    assertThat(calendar.events().list("primary").setTimeMin(NOV_1).execute().getItems())
        .extracting(Event::getId)
        .containsExactly(birthday.getId());
    Events instances =
        calendar
            .events()
            .list("primary")
            .setSingleEvents(true)
            .setTimeMin(NOV_1)
            .setTimeMax(DEC_1)
            .execute();
    assertThat(instances.getItems())
        .extracting(Event::getId)
        .containsExactly(birthday.getId() + "_20261120");
  }
}
