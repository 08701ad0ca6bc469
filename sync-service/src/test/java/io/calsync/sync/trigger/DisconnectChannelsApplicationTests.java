package io.calsync.sync.trigger;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.now;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.model.Channel;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.sync.model.WatchChannel;
import io.calsync.sync.persistence.WatchChannelRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

/** {@code connection.disconnected} stops the connection's push channels at Google. */
@SyncServiceTest
class DisconnectChannelsApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired WatchChannelRepository channels;
  @Autowired DatabaseClient db;

  private List<WatchChannel> synced(String user, String email) throws Exception {
    google.account(email);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    UUID calendarId = app.primaryCalendar(conn);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> channels.activeForCalendar(calendarId).count().block() == 1);
    return channels.activeForConnection(conn).collectList().block();
  }

  private void disconnectAndAwaitForgotten(UUID conn, String user) throws Exception {
    app.send(new ConnectionDisconnected(conn, user, now()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.sql("select count(*) as n from watch_channels where connection_id = :c")
                        .bind("c", conn)
                        .map(r -> r.get("n", Long.class))
                        .one()
                        .block()
                    == 0);
  }

  @Test
  void whenDisconnectedThenItsChannelsAreStoppedAtGoogleAndForgottenHere() throws Exception {
    String user = "stop-" + UUID.randomUUID();
    String email = uniqueEmail("stop");
    List<WatchChannel> active = synced(user, email);
    assertThat(active).hasSize(1);
    WatchChannel channel = active.get(0);

    disconnectAndAwaitForgotten(channel.connectionId(), user);

    // already stopped at Google: a second stop finds no such channel
    assertThatThrownBy(
            () ->
                google
                    .calendarAs(email)
                    .channels()
                    .stop(new Channel().setId(channel.id()).setResourceId(channel.resourceId()))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void whenTheGrantIsAlreadyRevokedThenTheConnectionIsForgottenAnyway() throws Exception {
    String user = "stop-revoked-" + UUID.randomUUID();
    String email = uniqueEmail("stop-revoked");
    WatchChannel channel = synced(user, email).get(0);
    google.revokeGrants(email);

    disconnectAndAwaitForgotten(channel.connectionId(), user);

    assertThat(app.connectionState(channel.connectionId())).isNull();
  }
}
