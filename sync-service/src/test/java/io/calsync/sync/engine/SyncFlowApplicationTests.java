package io.calsync.sync.engine;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.bearer;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.oauth;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.EventChanges.Received;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestKafkaConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sync engine end to end: Kafka {@code connection.connected} → oauth-service stand-in → the
 * Google emulator → {@code calendar.event-changes.v1}, read back as a downstream consumer would.
 */
@SyncServiceTest
class SyncFlowApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  @Autowired MutableClock clock;

  @Autowired MeterRegistry meters;

  @AfterEach
  void cleanUp() {
    google.clearFaults();
    TestKafkaConfig.failWhen = r -> false;
  }

  @Test
  void whenConnectedThenFullSyncPublishesSnapshotOverEveryPage() throws Exception {
    String email = uniqueEmail("full");
    google.account(email);
    google.seed(email, "primary", 130, 20);
    Set<String> atGoogle = listWindow(email);
    assertThat(atGoogle).hasSizeGreaterThan(100); // > 2 pages of 50 (the tests' page size)
    int listsBefore = google.requests("events.list");

    UUID conn = app.connect("user-full", email);
    try (var changes = new EventChanges(conn)) {
      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);

      // calendar.upserted first, then the snapshot bracket around every event of the window
      assertThat(all.get(0).message()).isInstanceOf(CalendarUpserted.class);
      var cal = (CalendarUpserted) all.get(0).message();
      assertThat(cal.providerCalendarId()).isEqualTo(email);
      assertThat(cal.primary()).isTrue();
      assertThat(cal.selected()).isTrue();
      assertThat(cal.userId()).isEqualTo("user-full");

      List<EventChangeMessage> ofCal =
          all.stream()
              .map(Received::message)
              .filter(m -> m.calendarId().equals(cal.calendarId()))
              .toList();
      assertThat(ofCal.get(1)).isInstanceOf(SnapshotStarted.class);
      assertThat(((SnapshotStarted) ofCal.get(1)).generation()).isEqualTo(1);
      var completed = (SnapshotCompleted) ofCal.get(ofCal.size() - 1);
      assertThat(completed.generation()).isEqualTo(1);
      List<EventUpserted> events =
          ofCal.subList(2, ofCal.size() - 1).stream().map(EventUpserted.class::cast).toList();
      assertThat(events).allSatisfy(e -> assertThat(e.generation()).isEqualTo(1));
      assertThat(events.stream().map(e -> e.event().id()).collect(Collectors.toSet()))
          .isEqualTo(atGoogle);
      assertThat(events).hasSize(atGoogle.size());
      assertThat(completed.eventCount()).isEqualTo(atGoogle.size());

      // CloudEvents binary headers on every record
      Set<String> ids = new HashSet<>();
      for (Received r : all) {
        assertThat(r.key()).isEqualTo(conn.toString());
        assertThat(r.header("ce_specversion")).isEqualTo("1.0");
        assertThat(r.header("ce_type")).isEqualTo(r.message().type());
        assertThat(r.header("ce_source")).isEqualTo("/calendar-platform/sync-service");
        assertThat(r.header("ce_subject")).isEqualTo(r.message().calendarId().toString());
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(java.time.OffsetDateTime.parse(r.header("ce_time"))).isNotNull();
        assertThat(ids.add(r.header("ce_id"))).isTrue();
        ContractAssertions.assertMatchesKafkaSchema(r.message().type(), r.value());
      }

      // every page was read, and the last page's sync token stored
      int pages = (atGoogle.size() + 49) / 50;
      assertThat(google.requests("events.list") - listsBefore).isGreaterThanOrEqualTo(pages);
      app.awaitIdle(conn);
      assertThat(app.syncToken(cal.calendarId())).isNotBlank();
      assertThat(app.connectionState(conn)).isEqualTo("idle");
    }
  }

  @Test
  void incrementalSyncPublishesOnlyTheChanges() throws Exception {
    String email = uniqueEmail("incr");
    google.account(email);
    google.seed(email, "primary", 12, 10);
    Calendar api = google.calendarAs(email);
    String single1 = insertEvent(api, email, "to patch");
    String single2 = insertEvent(api, email, "to delete");

    UUID conn = app.connect("user-incr", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      UUID calendarId = app.primaryCalendar(conn);
      String firstToken = app.syncToken(calendarId);
      int before = changes.all().size();

      String inserted = insertEvent(api, email, "brand new");
      api.events().patch(email, single1, new Event().setSummary("patched")).execute();
      api.events().delete(email, single2).execute();

      web.post()
          .uri("/api/calendar/sync/")
          .header(HttpHeaders.AUTHORIZATION, bearer("user-incr"))
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"connection_id\":\"" + conn + "\"}")
          .exchange()
          .expectStatus()
          .isAccepted()
          .expectBody()
          .jsonPath("$.requested[0].connection_id")
          .isEqualTo(conn.toString())
          .jsonPath("$.requested[0].state")
          .isEqualTo("queued");

      changes.awaitUntil(l -> l.size() >= before + 3);
      app.awaitIdle(conn);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !firstToken.equals(app.syncToken(calendarId)));
      List<Received> after = changes.all();
      List<EventChangeMessage> news =
          after.subList(before, after.size()).stream().map(Received::message).toList();

      assertThat(news).hasSize(3);
      after
          .subList(before, after.size())
          .forEach(r -> ContractAssertions.assertMatchesKafkaSchema(r.message().type(), r.value()));
      assertThat(news)
          .noneMatch(m -> m instanceof SnapshotStarted || m instanceof SnapshotCompleted);
      assertThat(news)
          .filteredOn(m -> m instanceof EventUpserted)
          .map(m -> ((EventUpserted) m).event().id() + "=" + ((EventUpserted) m).event().title())
          .containsExactlyInAnyOrder(inserted + "=brand new", single1 + "=patched");
      assertThat(news)
          .filteredOn(m -> m instanceof EventDeleted)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(((EventDeleted) m).event().id()).isEqualTo(single2);
                assertThat(((EventDeleted) m).event().status()).isEqualTo("cancelled");
                assertThat(((EventDeleted) m).generation()).isEqualTo(1);
              });
    }
  }

  @Test
  void goneSyncTokenCausesExactlyOneNewGeneration() throws Exception {
    String email = uniqueEmail("gone");
    google.account(email);
    google.seed(email, "primary", 20, 10);
    UUID conn = app.connect("user-gone", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      UUID calendarId = app.primaryCalendar(conn);
      String firstToken = app.syncToken(calendarId);

      google.invalidateSyncTokens(email);
      requestSync("user-gone", conn);

      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 2);
      app.awaitIdle(conn);
      all = changes.all();
      List<Long> started =
          all.stream()
              .map(Received::message)
              .filter(m -> m instanceof SnapshotStarted)
              .map(m -> ((SnapshotStarted) m).generation())
              .toList();
      assertThat(started).containsExactly(1L, 2L);
      var second =
          (SnapshotCompleted)
              all.stream()
                  .map(Received::message)
                  .filter(m -> m instanceof SnapshotCompleted)
                  .reduce((a, b) -> b)
                  .orElseThrow();
      assertThat(second.generation()).isEqualTo(2);
      assertThat(
              all.stream()
                  .map(Received::message)
                  .filter(m -> m instanceof EventUpserted u && u.generation() == 2)
                  .count())
          .isEqualTo(second.eventCount());
      String newToken = app.syncToken(calendarId);
      assertThat(newToken).isNotBlank().isNotEqualTo(firstToken);
      assertThat(app.connectionState(conn)).isEqualTo("idle");
    }
  }

  @Test
  void transientGoogleFailuresAreRetriedUntilTheSyncSucceeds() throws Exception {
    String email = uniqueEmail("flaky");
    google.account(email);
    google.seed(email, "primary", 8, 10);
    google.fault("calendarList.list", 503, "backendError", 2);
    google.fault("events.list", 429, "rateLimitExceeded", 2);
    google.fault("events.list", 403, "userRateLimitExceeded", 1);
    int listsBefore = google.requests("events.list");

    UUID conn = app.connect("user-flaky", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      assertThat(app.connectionState(conn)).isEqualTo("idle");
      assertThat(app.syncToken(app.primaryCalendar(conn))).isNotBlank();
      assertThat(google.requests("events.list") - listsBefore).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void aSendKafkaDidNotAcknowledgeKeepsTheOldSyncState() throws Exception {
    String email = uniqueEmail("noack");
    google.account(email);
    google.seed(email, "primary", 6, 10);
    String marker = "no-ack-" + UUID.randomUUID();
    insertEvent(google.calendarAs(email), email, marker);
    TestKafkaConfig.failWhen = r -> r.value().contains(marker);

    UUID conn = app.connect("user-noack", email);
    try (var changes = new EventChanges(conn)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> "error".equals(app.connectionState(conn)));
      UUID calendarId = app.primaryCalendar(conn);
      assertThat(app.syncToken(calendarId)).isNull();
      String error =
          db.sql("select last_error_code from connection_sync_state where connection_id = :id")
              .bind("id", conn)
              .map(r -> r.get("last_error_code", String.class))
              .one()
              .block();
      assertThat(error).isEqualTo("publish_failed");
      assertThat(count(changes.all(), SnapshotCompleted.TYPE)).isZero();

      TestKafkaConfig.failWhen = r -> false;
      requestSync("user-noack", conn);
      List<Received> all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      assertThat(app.syncToken(calendarId)).isNotBlank();
      assertThat(all).anyMatch(r -> r.value().contains(marker));
    }
  }

  @Test
  void triggersDuringARunCoalesceIntoOneFollowUpRun() throws Exception {
    String email = uniqueEmail("coalesce");
    google.account(email);
    UUID conn = app.connect("user-coalesce", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
    }
    double runsBefore = runs();
    // the next run's first Google call is slow, so the run is still going when more triggers come
    google.slowFault("calendarList.list", 503, "backendError", 1, 1500);
    requestSync("user-coalesce", conn);
    await().atMost(Duration.ofSeconds(10)).until(() -> "syncing".equals(app.connectionState(conn)));
    // past the connection's manual-sync window, so the first of these is accepted, not a 429
    clock.advance(Duration.ofSeconds(31));
    for (int i = 0; i < 3; i++) {
      requestSync("user-coalesce", conn);
    }
    app.awaitIdle(conn);
    assertThat(runs() - runsBefore).isEqualTo(2.0);
  }

  @Test
  void aCalendarGoogleAnswers404ForIsRemoved() throws Exception {
    String email = uniqueEmail("gone404");
    google.account(email);
    UUID conn = app.connect("user-404", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      UUID calendarId = app.primaryCalendar(conn);

      google.fault("events.list", 404, "notFound", 1);
      requestSync("user-404", conn);
      List<Received> all = changes.awaitUntil(l -> count(l, CalendarRemoved.TYPE) == 1);
      Received removed =
          all.stream()
              .filter(r -> r.message() instanceof CalendarRemoved)
              .findFirst()
              .orElseThrow();
      assertThat(removed.message().calendarId()).isEqualTo(calendarId);
      ContractAssertions.assertMatchesKafkaSchema(removed.message().type(), removed.value());
      app.awaitIdle(conn);
      web.get()
          .uri("/api/calendar/calendars/")
          .header(HttpHeaders.AUTHORIZATION, bearer("user-404"))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.calendars.length()")
          .isEqualTo(0);
    }
  }

  @Test
  void a401FromGoogleForcesOneRefreshAtOauthServiceAndGoesOn() throws Exception {
    String email = uniqueEmail("expired");
    google.account(email);
    google.seed(email, "primary", 4, 5);
    UUID conn = app.connect("user-401", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      int tokensBefore = oauth.serviceTokens().size();
      int refreshesBefore = oauth.refreshes(conn);

      google.fault("events.list", 401, "authError", 1);
      String id = insertEvent(google.calendarAs(email), email, "after 401");
      requestSync("user-401", conn);
      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
      app.awaitIdle(conn);
      assertThat(app.connectionState(conn)).isEqualTo("idle");
      // the rejected token was reported to oauth-service, which refreshed it once at Google
      assertThat(oauth.serviceTokens().size()).isGreaterThan(tokensBefore);
      assertThat(oauth.refreshes(conn)).isEqualTo(refreshesBefore + 1);
    }
  }

  @Test
  void quotaExceededPausesTheConnectionAndShowsWhy() throws Exception {
    String email = uniqueEmail("quota");
    google.account(email);
    google.fault("calendarList.list", 403, "quotaExceeded", 1);
    UUID conn = app.connect("user-quota", email);
    await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(app.connectionState(conn)));
    web.get()
        .uri("/api/calendar/sync/status/")
        .header(HttpHeaders.AUTHORIZATION, bearer("user-quota"))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections[0].state")
        .isEqualTo("error")
        .jsonPath("$.connections[0].last_error.code")
        .isEqualTo("quota_exceeded")
        .jsonPath("$.connections[0].last_success_at")
        .isEmpty();
    java.time.OffsetDateTime next =
        db.sql("select next_sync_at from connection_sync_state where connection_id = :id")
            .bind("id", conn)
            .map(r -> r.get("next_sync_at", java.time.OffsetDateTime.class))
            .one()
            .block();
    assertThat(next).isAfter(java.time.OffsetDateTime.now().plusMinutes(50));
  }

  private double runs() {
    return meters.find("calsync.sync.runs").counters().stream().mapToDouble(Counter::count).sum();
  }

  private void requestSync(String user, UUID conn) {
    web.post()
        .uri("/api/calendar/sync/")
        .header(HttpHeaders.AUTHORIZATION, bearer(user))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"connection_id\":\"" + conn + "\"}")
        .exchange()
        .expectStatus()
        .isAccepted();
  }

  /** What a full sync must deliver, listed independently with the real Google client. */
  static Set<String> listWindow(String email) throws Exception {
    Calendar api = google.calendarAs(email);
    Set<String> ids = new HashSet<>();
    String page = null;
    DateTime timeMin =
        new DateTime(
            Instant.now().minus(30, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS).toEpochMilli());
    do {
      Events events =
          api.events()
              .list(email)
              .setTimeMin(timeMin)
              .setMaxResults(2500)
              .setSingleEvents(false)
              .setShowDeleted(false)
              .setPageToken(page)
              .execute();
      events.getItems().forEach(e -> ids.add(e.getId()));
      page = events.getNextPageToken();
    } while (page != null);
    return ids;
  }
}
