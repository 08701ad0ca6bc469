package io.calsync.query.readmodel.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.UpcomingEvent;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.Topics;
import io.calsync.query.support.DeadLetters;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The read model's listener while PostgreSQL is unreachable (cut off at the test's {@code
 * DatabaseProxy}): a valid change waits for the database instead of going to the dead-letter topic.
 */
@QueryServiceTest
class ListenerOutageKafkaTests {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> template;
  @Autowired MeterRegistry meters;

  private final String user = "user-" + UUID.randomUUID();
  private final UUID connection = UUID.randomUUID();
  private final UUID calendar = UUID.randomUUID();

  @Test
  void whenTheDatabaseIsAwayLongerThanTheOldRetryWindowThenADeletionWaitsAndIsApplied()
      throws Exception {
    var messages = new Messages(template);
    messages.publish(
        new ConnectionConnected(
            connection, user, T0, "google", "a@example.com", List.of("openid")));
    messages.publish(
        new CalendarUpserted(
            connection,
            user,
            T0,
            calendar,
            "a@example.com",
            "Work",
            "#0b8043",
            "Europe/Berlin",
            true,
            "owner",
            true));
    messages.publish(new EventUpserted(connection, user, T0, calendar, 1, event("ghost", T0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> upcomingIds().contains("ghost"));
    double failuresBefore = infrastructureFailures();

    TestInfrastructure.database().cut();
    try {
      messages.publish(
          new EventDeleted(connection, user, T0.plusHours(1), calendar, 1, deleted("ghost")));
      try (var dead = new DeadLetters(Topics.EVENT_CHANGES, connection.toString())) {
        // far longer than the old retry window of an outage (600 ms in the tests that showed it)
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(10))
            .until(() -> dead.values().isEmpty());
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> infrastructureFailures() >= failuresBefore + 3);
    } finally {
      TestInfrastructure.database().restore();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> !upcomingIds().contains("ghost"));
    try (var dead = new DeadLetters(Topics.EVENT_CHANGES, connection.toString())) {
      assertThat(dead.values()).isEmpty();
    }
  }

  private double infrastructureFailures() {
    Counter counter =
        meters
            .find("calsync.kafka.listener.failures")
            .tags("topic", Topics.EVENT_CHANGES, "kind", "infrastructure")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private List<String> upcomingIds() {
    UpcomingEventsResponse response =
        TestHttp.client(port)
            .get()
            .uri("/api/calendar/events/upcoming/")
            .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(UpcomingEventsResponse.class)
            .returnResult()
            .getResponseBody();
    return response.events().stream().map(UpcomingEvent::id).toList();
  }

  private static EventPayload event(String id, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        id,
        null,
        null,
        EventTime.of(OffsetDateTime.parse("2026-11-24T10:00:00Z"), null),
        EventTime.of(OffsetDateTime.parse("2026-11-24T11:00:00Z"), null),
        null,
        null,
        null,
        "https://calendar.test/" + id,
        updated,
        "\"" + updated.toEpochSecond() + "\"",
        id + "@google.com");
  }

  private static EventPayload deleted(String id) {
    return new EventPayload(
        id,
        "cancelled",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        T0.plusHours(1),
        null,
        null);
  }
}
