package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.SyncStatusResponse;
import io.calsync.contract.http.SyncStatusResponse.CalendarSync;
import io.calsync.contract.http.SyncStatusResponse.ConnectionSync;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.engine.SyncProperties;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * A subscribed calendar whose {@code events.watch} Google refuses (a holiday calendar: 400 {@code
 * pushNotSupportedForRequestedResource}) is healthy, says {@code push: unsupported}, is not asked
 * to watch on every run, and is synced by the backstop every {@code unwatched-interval}, sooner
 * than its connection is due.
 */
@SyncServiceTest
class PushUnsupportedApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired DatabaseClient db;
  @Autowired WebTestClient web;
  @Autowired BackstopScheduler backstop;
  @Autowired SyncCoordinator coordinator;
  @Autowired SyncStateRepository states;
  @Autowired SyncProperties props;
  @Autowired MutableClock clock;

  private String user;
  private String holidays;
  private UUID conn;
  private UUID holidayCalendar;

  @BeforeEach
  void anAccountSubscribedToAHolidayCalendar() throws Exception {
    String email = uniqueEmail("reader");
    user = "user-" + email;
    holidays = "holidays-" + UUID.randomUUID().toString().substring(0, 8) + "@group.example.com";
    google.account(email);
    google.account(holidays);
    insertEvent(google.calendarAs(holidays), holidays, "A holiday");
    google.subscribe(email, holidays, "reader", true);
    conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 2);
    }
    holidayCalendar =
        db.sql("select id from calendars where connection_id = :c and provider_calendar_id = :p")
            .bind("c", conn)
            .bind("p", holidays)
            .map(r -> r.get("id", UUID.class))
            .one()
            .block();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> states.calendarState(holidayCalendar).block().pushRefusedAt() != null);
    app.awaitIdle(conn);
  }

  private ConnectionSync status() {
    SyncStatusResponse body =
        web.get()
            .uri("/api/calendar/sync/status/")
            .header(HttpHeaders.AUTHORIZATION, bearer(user))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(SyncStatusResponse.class)
            .returnResult()
            .getResponseBody();
    assertThat(body.connections()).hasSize(1);
    return body.connections().get(0);
  }

  private CalendarSync calendar(ConnectionSync c, UUID id) {
    return c.calendars().stream().filter(k -> k.calendarId().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void aCalendarThatRefusesWatchIsHealthyAndItsStatusSaysPushUnsupported() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> CalendarSync.PUSH_ACTIVE.equals(calendar(status(), primary()).push()));

    ConnectionSync c = status();
    assertThat(c.state()).isEqualTo("idle");
    assertThat(c.lastError()).isNull();
    CalendarSync holiday = calendar(c, holidayCalendar);
    assertThat(holiday.state()).isEqualTo("idle");
    assertThat(holiday.eventCount()).isEqualTo(1);
    assertThat(holiday.push()).isEqualTo(CalendarSync.PUSH_UNSUPPORTED);
  }

  @Test
  void watchIsNotAskedAgainOnEveryRunOnlyAfterRewatchAfter() {
    int watchesBefore = google.requests("events.watch");

    coordinator.request(conn, SyncTrigger.MANUAL).block();
    app.awaitIdle(conn);

    assertThat(google.requests("events.watch")).isEqualTo(watchesBefore);
    assertThat(calendar(status(), holidayCalendar).push()).isEqualTo(CalendarSync.PUSH_UNSUPPORTED);

    // once rewatch-after has passed, the next run asks again (and Google still refuses)
    db.sql("update calendar_sync_state set push_refused_at = :t where calendar_id = :id")
        .bind("t", clock.instant().minus(props.rewatchAfter()).minusSeconds(1))
        .bind("id", holidayCalendar)
        .fetch()
        .rowsUpdated()
        .block();
    coordinator.request(conn, SyncTrigger.MANUAL).block();
    app.awaitIdle(conn);
    assertThat(google.requests("events.watch")).isEqualTo(watchesBefore + 1);
    assertThat(calendar(status(), holidayCalendar).push()).isEqualTo(CalendarSync.PUSH_UNSUPPORTED);
  }

  @Test
  void theBackstopSyncsTheCalendarEveryUnwatchedIntervalBeforeTheConnectionIsDue()
      throws Exception {
    try (var changes = new EventChanges(conn)) {
      String id = insertEvent(google.calendarAs(holidays), holidays, "Another holiday");

      clock.advance(props.unwatchedInterval().plusSeconds(1));
      // the connection itself is due only a backstop interval after its run
      assertThat(states.dueConnections(clock.instant()).collectList().block()).doesNotContain(conn);

      StepVerifier.create(backstop.enqueueDue())
          .assertNext(n -> assertThat(n).isGreaterThanOrEqualTo(1))
          .verifyComplete();

      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
      app.awaitIdle(conn);
      assertThat(calendar(status(), holidayCalendar).state()).isEqualTo("idle");
    }
  }

  private UUID primary() {
    return app.primaryCalendar(conn);
  }
}
