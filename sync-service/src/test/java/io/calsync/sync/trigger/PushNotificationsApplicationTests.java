package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestInfra;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Google push: channels are created after a sync, and an {@code exists} notification syncs, also
 * one that arrived while the database was away.
 */
@SyncServiceTest
class PushNotificationsApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;

  private String channelOf(UUID calendarId, String column) {
    return db.sql("select " + column + " from watch_channels where calendar_id = :c and active")
        .bind("c", calendarId)
        .map(r -> r.get(column, String.class))
        .first()
        .block();
  }

  @Test
  void aChangeAtGoogleIsPushedAndSyncedWithoutAnyOtherTrigger() throws Exception {
    String email = uniqueEmail("push");
    google.account(email);
    UUID conn = app.connect("user-push", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
      UUID calendarId = app.primaryCalendar(conn);
      await().atMost(Duration.ofSeconds(20)).until(() -> channelOf(calendarId, "id") != null);

      String id = insertEvent(google.calendarAs(email), email, "pushed");

      changes.awaitUntil(
          l ->
              l.stream()
                  .anyMatch(
                      r -> r.message() instanceof EventUpserted u && u.event().id().equals(id)));
    }
  }

  @Test
  void forgedOrUnknownNotificationsAreAnswered200AndIgnored() throws Exception {
    String email = uniqueEmail("forged");
    google.account(email);
    UUID conn = app.connect("user-forged", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
      app.awaitIdle(conn);
    }
    UUID calendarId = app.primaryCalendar(conn);
    await().atMost(Duration.ofSeconds(20)).until(() -> channelOf(calendarId, "id") != null);
    String channelId = channelOf(calendarId, "id");
    String before = app.connectionState(conn);

    web.post()
        .uri("/api/calendar/google/notifications/")
        .header("X-Goog-Channel-ID", channelId)
        .header("X-Goog-Channel-Token", "forged")
        .header("X-Goog-Resource-State", "exists")
        .exchange()
        .expectStatus()
        .isOk();
    web.post()
        .uri("/api/calendar/google/notifications/")
        .header("X-Goog-Channel-ID", "unknown-channel")
        .header("X-Goog-Resource-State", "exists")
        .exchange()
        .expectStatus()
        .isOk();
    web.post().uri("/api/calendar/google/notifications/").exchange().expectStatus().isOk();

    Boolean pending =
        db.sql("select pending from connection_sync_state where connection_id = :id")
            .bind("id", conn)
            .map(r -> r.get("pending", Boolean.class))
            .one()
            .block();
    assertThat(pending).isFalse();
    assertThat(app.connectionState(conn)).isEqualTo(before);

    // the real token does request a sync
    web.post()
        .uri("/api/calendar/google/notifications/")
        .header("X-Goog-Channel-ID", channelId)
        .header("X-Goog-Channel-Token", channelOf(calendarId, "token"))
        .header("X-Goog-Resource-State", "exists")
        .exchange()
        .expectStatus()
        .isOk();
    Boolean pendingNow =
        db.sql(
                "select pending or state in ('queued','syncing') as p from connection_sync_state where connection_id = :id")
            .bind("id", conn)
            .map(r -> r.get("p", Boolean.class))
            .one()
            .block();
    assertThat(pendingNow).isTrue();
    app.awaitIdle(conn);
  }

  @Test
  void aNotificationThatArrivedWhileTheDatabaseWasAwaySyncsOnceItIsBack() throws Exception {
    String email = uniqueEmail("push-outage");
    google.account(email);
    UUID conn = app.connect("user-push-outage", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    UUID calendarId = app.primaryCalendar(conn);
    await().atMost(Duration.ofSeconds(20)).until(() -> channelOf(calendarId, "id") != null);
    String channelId = channelOf(calendarId, "id");
    String token = channelOf(calendarId, "token");
    OffsetDateTime lastSuccess = lastSuccess(conn);

    // nothing changes at Google, so the emulator pushes nothing: only this notification can sync
    TestInfra.DATABASE.cut();
    try {
      web.mutate()
          .responseTimeout(Duration.ofSeconds(30))
          .build()
          .post()
          .uri("/api/calendar/google/notifications/")
          .header("X-Goog-Channel-ID", channelId)
          .header("X-Goog-Channel-Token", token)
          .header("X-Goog-Resource-State", "exists")
          .exchange()
          .expectStatus()
          .isOk();
    } finally {
      TestInfra.DATABASE.restore();
    }

    // the test reads through the same proxy: its first queries after the restore may still fail
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsInstanceOf(DataAccessException.class)
        .until(() -> lastSuccess(conn).isAfter(lastSuccess));
  }

  private OffsetDateTime lastSuccess(UUID conn) {
    return db.sql("select last_success_at from connection_sync_state where connection_id = :id")
        .bind("id", conn)
        .map(r -> r.get("last_success_at", OffsetDateTime.class))
        .one()
        .block();
  }
}
