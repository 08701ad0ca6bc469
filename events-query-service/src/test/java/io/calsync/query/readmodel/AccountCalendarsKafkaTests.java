package io.calsync.query.readmodel;

import static io.calsync.query.support.Payloads.allDay;
import static io.calsync.query.support.Payloads.timed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.UpcomingEvent;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.testing.MutableClock;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What real Google accounts bring (issue 9): calendars shared as free/busy only, all-day events of
 * calendars in zones far from UTC, and a weekly series that started years ago. Real messages on the
 * embedded broker, the answer read through the HTTP API. "Now" is {@code 2026-11-23T05:00:00Z}:
 * Sunday 22 November 21:00 in Los Angeles, Monday 23 November 06:00 in Berlin.
 */
@QueryServiceTest
class AccountCalendarsKafkaTests {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");
  private static final String LA = "America/Los_Angeles";
  private static final String BERLIN = "Europe/Berlin";

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> template;
  @Autowired MutableClock clock;

  private Messages messages;
  private WebTestClient http;
  private final String user = "user-" + UUID.randomUUID();
  private final UUID connection = UUID.randomUUID();

  @BeforeEach
  void setUp() {
    messages = new Messages(template);
    http = TestHttp.client(port);
    // the test clock stands at 2026-11-23T08:00:00Z
    clock.advance(Duration.ofHours(-3));
    messages.publish(
        new ConnectionConnected(
            connection, user, T0, "google", "a@example.com", List.of("openid")));
  }

  @Test
  void whenACalendarIsSharedFreeBusyOnlyThenItsEventsShowAsBusy() {
    UUID colleague = calendar("boss@example.com", "Boss", BERLIN, "freeBusyReader");
    UUID own = calendar("a@example.com", "Mine", BERLIN, "owner");
    // what Google gives a freeBusyReader: times and status, no title or details
    upsert(
        colleague, timed("b1", "2026-11-23T10:00:00+01:00", "2026-11-23T11:00:00+01:00", null, T0));
    upsert(own, timed("o1", "2026-11-23T12:00:00+01:00", "2026-11-23T13:00:00+01:00", null, T0));

    List<UpcomingEvent> events = awaitEvents("?tz=" + BERLIN, 2);

    assertThat(events)
        .extracting(
            UpcomingEvent::id,
            UpcomingEvent::title,
            UpcomingEvent::description,
            UpcomingEvent::freeBusyOnly)
        .containsExactly(tuple("b1", "busy", null, true), tuple("o1", null, null, false));
  }

  @Test
  void whenAnAllDayEventIsTodayInTheCallersZoneThenItIsListedWhateverTheCalendarsZone() {
    UUID la = calendar("la@example.com", "LA", LA, "owner");
    UUID berlin = calendar("holidays@example.com", "Holidays", BERLIN, "reader");
    upsert(la, allDay("la-sunday", "2026-11-22", "2026-11-23", T0));
    upsert(berlin, allDay("berlin-sunday", "2026-11-22", "2026-11-23", T0));
    upsert(berlin, allDay("berlin-monday", "2026-11-23", "2026-11-24", T0));
    // an all-day weekly series on Sundays since 2020, no zone of its own: its calendar's
    upsert(
        la,
        new EventPayload(
            "sundays",
            "confirmed",
            "Sunday",
            null,
            null,
            EventTime.ofDate(LocalDate.parse("2020-01-05")),
            EventTime.ofDate(LocalDate.parse("2020-01-06")),
            List.of("RRULE:FREQ=WEEKLY"),
            null,
            null,
            null,
            T0,
            null,
            null));

    // Sunday evening in Los Angeles: Sunday's all-day events are in progress, Monday's tomorrow
    assertThat(awaitEvents("?days=1&tz=" + LA, 4))
        .extracting(UpcomingEvent::id, UpcomingEvent::start, UpcomingEvent::end)
        .containsExactly(
            tuple("berlin-sunday", "2026-11-22", "2026-11-23"),
            tuple("la-sunday", "2026-11-22", "2026-11-23"),
            tuple("sundays_20261122", "2026-11-22", "2026-11-23"),
            tuple("berlin-monday", "2026-11-23", "2026-11-24"));
    // Monday morning in Berlin: Sunday is over, in either calendar; next Sunday is within 7 days
    assertThat(upcoming("?days=7&tz=" + BERLIN).events())
        .extracting(UpcomingEvent::id, UpcomingEvent::start)
        .containsExactly(
            tuple("berlin-monday", "2026-11-23"), tuple("sundays_20261129", "2026-11-29"));
  }

  @Test
  void whenAWeeklySeriesStartedIn2020ThenThisAndNextWeeksInstancesAreListed() {
    UUID la = calendar("la@example.com", "LA", LA, "owner");
    upsert(
        la,
        new EventPayload(
            "weekly",
            "confirmed",
            "Weekly",
            null,
            null,
            EventTime.of(OffsetDateTime.parse("2020-01-06T09:00:00-08:00"), LA),
            EventTime.of(OffsetDateTime.parse("2020-01-06T09:30:00-08:00"), LA),
            List.of("RRULE:FREQ=WEEKLY;BYDAY=MO"),
            null,
            null,
            null,
            T0,
            null,
            null));

    assertThat(awaitEvents("?days=14&tz=" + LA, 2))
        .extracting(UpcomingEvent::id, UpcomingEvent::start, UpcomingEvent::recurringEventId)
        .containsExactly(
            tuple("weekly_20261123T170000Z", "2026-11-23T09:00:00-08:00", "weekly"),
            tuple("weekly_20261130T170000Z", "2026-11-30T09:00:00-08:00", "weekly"));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private UUID calendar(String providerId, String name, String zone, String accessRole) {
    UUID id = UUID.randomUUID();
    messages.publish(
        new CalendarUpserted(
            connection, user, T0, id, providerId, name, null, zone, false, accessRole, true));
    return id;
  }

  private void upsert(UUID calendar, EventPayload event) {
    messages.publish(new EventUpserted(connection, user, T0, calendar, 1, event));
  }

  private List<UpcomingEvent> awaitEvents(String query, int count) {
    await().atMost(Duration.ofSeconds(30)).until(() -> upcoming(query).events().size() >= count);
    return upcoming(query).events();
  }

  private UpcomingEventsResponse upcoming(String query) {
    return http.get()
        .uri("/api/calendar/events/upcoming/" + query)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(UpcomingEventsResponse.class)
        .returnResult()
        .getResponseBody();
  }
}
