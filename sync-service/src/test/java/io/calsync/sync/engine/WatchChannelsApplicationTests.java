package io.calsync.sync.engine;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.sync.google.GoogleCalendarClient;
import io.calsync.sync.model.WatchChannel;
import io.calsync.sync.persistence.CalendarRepository;
import io.calsync.sync.persistence.SyncStateRepository;
import io.calsync.sync.persistence.WatchChannelRepository;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/** Channel renewal: a channel close to expiry is replaced by a new one first, then stopped. */
@SyncServiceTest
class WatchChannelsApplicationTests {

  @Autowired SyncFixtures app;

  @Autowired WatchChannelRepository channels;
  @Autowired SyncStateRepository states;
  @Autowired GoogleCalendarClient googleClient;
  @Autowired CalendarRepository calendars;
  @Autowired SyncProperties props;
  @Autowired Clock clock;

  private List<String> active(UUID calendarId) {
    return channels.activeForCalendar(calendarId).map(WatchChannel::id).collectList().block();
  }

  @Test
  void aChangeMadeWhileTheFirstChannelIsBeingOpenedIsSyncedWithoutAnotherTrigger()
      throws Exception {
    String email = uniqueEmail("gap");
    google.account(email);
    // the first channel takes 5 s to open: the full sync has read Google, no channel exists yet
    google.slowFault("events.watch", 0, "latency", 1, 5000);
    try {
      UUID conn = app.connect("user-gap", email);
      try (var changes = new EventChanges(conn)) {
        changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
        String id = insertEvent(google.calendarAs(email), email, "made in the gap");

        // no push can announce it (no channel yet) and no trigger follows; the backstop is far
        changes.awaitUntil(
            l ->
                l.stream()
                    .anyMatch(
                        r -> r.message() instanceof EventUpserted u && id.equals(u.event().id())));
      }
    } finally {
      google.clearFaults();
    }
  }

  @Test
  void aChannelAboutToExpireIsReplacedNewFirstThenTheOldOneStopped() throws Exception {
    String email = uniqueEmail("renew");
    google.account(email);
    UUID conn = app.connect("user-renew", email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    UUID calendarId = app.primaryCalendar(conn);
    await().atMost(Duration.ofSeconds(20)).until(() -> active(calendarId).size() == 1);
    String old = active(calendarId).get(0);
    int stopsBefore = google.requests("channels.stop");

    // with "renew 8 days before expiry", the fresh 7-day channel counts as about to expire
    var renewing =
        new SyncProperties(
            props.backstopInterval(),
            props.backstopTick(),
            props.backstopInitialDelay(),
            props.fullSyncWindow(),
            props.eventsPageSize(),
            props.calendarListPageSize(),
            props.leaseTtl(),
            props.workerConcurrency(),
            props.quotaPause(),
            props.publicWebhookBaseUrl(),
            Duration.ofDays(7),
            Duration.ofDays(8),
            props.pushDebounce(),
            props.manualSyncInterval(),
            props.wakeUpQueueCapacity(),
            props.maxConsecutiveRuns(),
            props.instanceName(),
            props.failureRetry(),
            props.unwatchedInterval(),
            props.rewatchAfter());
    var watch = new WatchChannels(channels, states, googleClient, renewing, clock);

    StepVerifier.create(calendars.find(calendarId).flatMap(watch::ensure)).verifyComplete();

    List<String> now = active(calendarId);
    assertThat(now).hasSize(1).doesNotContain(old);
    assertThat(google.requests("channels.stop")).isEqualTo(stopsBefore + 1);
  }
}
