package io.calsync.query.readmodel;

import static io.calsync.query.support.Payloads.allDay;
import static io.calsync.query.support.Payloads.timed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.UpcomingEvent;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.kafka.Topics;
import io.calsync.contract.testing.ContractAssertions;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Real messages on the embedded broker, built from the contract records, and the answer read back
 * through the HTTP API as the user. "Now" is {@code 2026-11-23T08:00:00Z} when each test starts
 * (the test clock).
 */
@QueryServiceTest
@ExtendWith(OutputCaptureExtension.class)
class ReadModelKafkaTests {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> template;
  @Autowired DatabaseClient db;
  @Autowired ObservationRegistry observations;

  private Messages messages;
  private WebTestClient http;
  private final String user = "user-" + UUID.randomUUID();
  private final UUID connection = UUID.randomUUID();
  private final UUID calendar = UUID.randomUUID();

  @BeforeEach
  void setUp() {
    messages = new Messages(template);
    http = TestHttp.client(port);
  }

  @Test
  void whenSnapshotArrivesThenUpcomingListsItInOrder() {
    connect();
    calendarUpserted(true, T0);
    messages.publish(new SnapshotStarted(connection, user, T0, calendar, 1));
    upsert(
        1, timed("single", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00", "Single", T0));
    upsert(1, allDay("holiday", "2026-11-25", "2026-11-26", T0));
    upsert(
        1,
        new EventPayload(
            "weekly",
            "confirmed",
            "Standup",
            "desc",
            "Room 1",
            EventTime.of(OffsetDateTime.parse("2026-11-16T09:00:00+01:00"), "Europe/Berlin"),
            EventTime.of(OffsetDateTime.parse("2026-11-16T09:15:00+01:00"), "Europe/Berlin"),
            List.of("RRULE:FREQ=DAILY;COUNT=10"),
            null,
            null,
            "https://calendar.test/weekly",
            T0,
            "\"1\"",
            "weekly@google.com"));
    // the 24 Nov instance moved to 14:00, the 25 Nov instance cancelled
    upsert(
        1,
        new EventPayload(
            "weekly_20261124T080000Z",
            "confirmed",
            "Standup (moved)",
            null,
            null,
            EventTime.of(OffsetDateTime.parse("2026-11-24T14:00:00+01:00"), "Europe/Berlin"),
            EventTime.of(OffsetDateTime.parse("2026-11-24T14:15:00+01:00"), "Europe/Berlin"),
            null,
            "weekly",
            EventTime.of(OffsetDateTime.parse("2026-11-24T09:00:00+01:00"), "Europe/Berlin"),
            null,
            T0,
            null,
            null));
    messages.publish(
        new EventDeleted(
            connection,
            user,
            T0,
            calendar,
            1,
            new EventPayload(
                "weekly_20261125T080000Z",
                "cancelled",
                null,
                null,
                null,
                null,
                null,
                null,
                "weekly",
                EventTime.of(OffsetDateTime.parse("2026-11-25T09:00:00+01:00"), "Europe/Berlin"),
                null,
                T0,
                null,
                null)));
    messages.publish(new SnapshotCompleted(connection, user, T0, calendar, 1, 5));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String body = upcomingBody(user, "?days=3&tz=Europe/Berlin&limit=20");
              ContractAssertions.assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 200, body);
              UpcomingEventsResponse response =
                  CalendarJson.mapper().readValue(body, UpcomingEventsResponse.class);
              assertThat(response.events())
                  .extracting(
                      UpcomingEvent::id,
                      UpcomingEvent::start,
                      UpcomingEvent::end,
                      UpcomingEvent::allDay)
                  .containsExactly(
                      tuple(
                          "weekly_20261123T080000Z",
                          "2026-11-23T09:00:00+01:00",
                          "2026-11-23T09:15:00+01:00",
                          false),
                      tuple(
                          "single",
                          "2026-11-24T10:00:00+01:00",
                          "2026-11-24T11:00:00+01:00",
                          false),
                      tuple(
                          "weekly_20261124T080000Z",
                          "2026-11-24T14:00:00+01:00",
                          "2026-11-24T14:15:00+01:00",
                          false),
                      tuple("holiday", "2026-11-25", "2026-11-26", true));
              assertThat(response.window().from())
                  .isEqualTo(OffsetDateTime.parse("2026-11-23T09:00:00+01:00"));
              assertThat(response.window().to())
                  .isEqualTo(OffsetDateTime.parse("2026-11-26T09:00:00+01:00"));
              UpcomingEvent standup = response.events().get(0);
              assertThat(standup.calendarName()).isEqualTo("Work");
              assertThat(standup.color()).isEqualTo("#0b8043");
              assertThat(standup.provider()).isEqualTo("google");
              assertThat(standup.connectionId()).isEqualTo(connection);
              assertThat(standup.calendarId()).isEqualTo(calendar);
              assertThat(standup.recurringEventId()).isEqualTo("weekly");
              assertThat(standup.timeZone()).isEqualTo("Europe/Berlin");
            });
  }

  @Test
  void whenAnOlderVersionArrivesLateThenTheNewerOneStays() {
    connect();
    calendarUpserted(true, T0);
    upsert(
        1,
        timed("e", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "new title", T0.plusHours(2)));
    upsert(
        1,
        timed("e", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z", "old title", T0.plusHours(1)));
    // a replay of the newer one, then a marker behind them on the same partition
    upsert(
        1,
        timed("e", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "new title", T0.plusHours(2)));
    upsert(1, timed("marker", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", "marker", T0));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id, UpcomingEvent::title, UpcomingEvent::start)
                    .containsExactly(
                        tuple("e", "new title", "2026-11-24T10:00:00Z"),
                        tuple("marker", "marker", "2026-11-25T10:00:00Z")));
  }

  @Test
  void whenDeletedThenAnOlderUpsertDoesNotResurrectIt() {
    connect();
    calendarUpserted(true, T0);
    upsert(1, timed("gone", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "v1", T0));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("gone"));

    messages.publish(
        new EventDeleted(
            connection,
            user,
            T0,
            calendar,
            1,
            new EventPayload(
                "gone",
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
                T0.plusHours(2),
                null,
                null)));
    upsert(
        1, timed("gone", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "v1.5", T0.plusHours(1)));
    upsert(1, timed("marker", "2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z", "marker", T0));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("marker"));
  }

  @Test
  void whenSnapshotCompletesThenRowsOfOlderGenerationsAreDropped() {
    connect();
    calendarUpserted(true, T0);
    messages.publish(new SnapshotStarted(connection, user, T0, calendar, 1));
    upsert(1, timed("kept", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "kept", T0));
    upsert(1, timed("missed-delete", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z", "stale", T0));
    messages.publish(new SnapshotCompleted(connection, user, T0, calendar, 1, 2));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("kept", "missed-delete"));

    // a 410 recovery: a new snapshot re-delivers only what still exists (same `updated`)
    messages.publish(new SnapshotStarted(connection, user, T0.plusDays(1), calendar, 2));
    upsert(2, timed("kept", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "kept", T0));
    messages.publish(new SnapshotCompleted(connection, user, T0.plusDays(1), calendar, 2, 1));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("kept"));
  }

  @Test
  void whenCalendarIsDeselectedOrRemovedThenItsEventsAreHidden() {
    connect();
    calendarUpserted(true, T0);
    UUID other = UUID.randomUUID();
    messages.publish(
        new CalendarUpserted(
            connection,
            user,
            T0,
            other,
            "other@group",
            "Other",
            "#111111",
            "UTC",
            false,
            "owner",
            true));
    upsert(1, timed("work", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "work", T0));
    messages.publish(
        new EventUpserted(
            connection,
            user,
            T0,
            other,
            1,
            timed("private", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z", "private", T0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("work", "private"));

    calendarUpserted(false, T0.plusHours(1));
    messages.publish(new CalendarRemoved(connection, user, T0.plusHours(1), other));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).isEmpty());
  }

  @Test
  void whenConnectionNeedsReauthThenItsEventsAreHiddenUntilReconnected() {
    connect();
    calendarUpserted(true, T0);
    upsert(1, timed("e", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "e", T0));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).hasSize(1));

    messages.publish(
        new ConnectionReauthRequired(connection, user, T0.plusHours(1), "invalid_grant"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).isEmpty());

    messages.publish(
        new ConnectionConnected(
            connection, user, T0.plusHours(2), "google", "a@example.com", List.of()));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).hasSize(1));
  }

  @Test
  void whenConnectionIsDisconnectedThenItsEventsAreRemoved() {
    connect();
    calendarUpserted(true, T0);
    upsert(1, timed("e", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "e", T0));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).hasSize(1));

    messages.publish(new ConnectionDisconnected(connection, user, T0.plusHours(1)));
    // an old replay of connected does not bring the connection back
    messages.publish(
        new ConnectionConnected(connection, user, T0, "google", "a@example.com", List.of()));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).isEmpty());
  }

  @Test
  void whenAConnectionMessageIsAppliedThenItsLineIsInTheProducersTrace(CapturedOutput output) {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String parentSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    // the producer's side: sent inside a span of that trace (the template writes traceparent)
    Observation producer =
        Observation.createNotStarted(
                "test.producer",
                () -> {
                  ReceiverContext<String> context =
                      new ReceiverContext<>(
                          (carrier, key) -> "traceparent".equals(key) ? carrier : null);
                  context.setCarrier("00-" + traceId + "-" + parentSpanId + "-01");
                  return context;
                },
                observations)
            .start();
    try (Observation.Scope scope = producer.openScope()) {
      messages.publish(new ConnectionDisconnected(connection, user, T0));
    } finally {
      producer.stop();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(output.getOut().lines())
                    .filteredOn(
                        line ->
                            line.contains(
                                "Applied connection.disconnected of connection " + connection))
                    .singleElement()
                    .asString()
                    .contains(traceId));
  }

  @Test
  void whenEventMessagesOfBeforeTheDisconnectArriveLateThenNoRowIsWrittenEvenAfterAReconnect() {
    OffsetDateTime disconnectedAt = T0.plusHours(1);
    connect();
    calendarUpserted(true, T0);
    messages.publish(new ConnectionDisconnected(connection, user, disconnectedAt));
    awaitStatus("disconnected");
    // a late message of the run that was in flight at the disconnect
    upsertAt(
        T0.plusMinutes(30),
        timed("late", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "late", T0));
    // the same id connected again
    messages.publish(
        new ConnectionConnected(
            connection, user, disconnectedAt.plusHours(1), "google", "a@example.com", List.of()));
    awaitStatus("active");
    // another late message of the old run, then the new run's
    upsertAt(
        T0.plusMinutes(40),
        timed("stale", "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z", "stale", T0));
    calendarUpserted(true, disconnectedAt.plusHours(2));
    upsertAt(
        disconnectedAt.plusHours(2),
        timed("fresh", "2026-11-24T14:00:00Z", "2026-11-24T15:00:00Z", "fresh", T0));

    // a connection's event messages apply in order: once "fresh" is listed the others were seen
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("fresh"));
    assertThat(
            db.sql("select count(*) from events where connection_id = :id")
                .bind("id", connection)
                .map(row -> row.get(0, Long.class))
                .one()
                .block())
        .isEqualTo(1L);
  }

  @Test
  void whenAnotherUserAsksThenTheyNeverSeeTheseEvents() {
    connect();
    calendarUpserted(true, T0);
    upsert(1, timed("mine", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "mine", T0));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(upcoming("").events()).hasSize(1));

    UpcomingEventsResponse theirs =
        upcomingAs("someone-else-" + UUID.randomUUID(), "?days=365&limit=100");
    assertThat(theirs.events()).isEmpty();
  }

  @Test
  void whenMessageIsPoisonThenItGoesToTheDeadLetterTopicAndLaterOnesStillApply() {
    connect();
    calendarUpserted(true, T0);
    String poison =
        "{\"type\":\"event.upserted\",\"connection_id\":\"" + connection + "\", not json";
    messages.publishRaw(Topics.EVENT_CHANGES, connection, poison);
    String unknown =
        "{\"type\":\"calendar.something_new\",\"connection_id\":\"" + connection + "\"}";
    messages.publishRaw(Topics.EVENT_CHANGES, connection, unknown);
    upsert(1, timed("after", "2026-11-24T10:00:00Z", "2026-11-24T11:00:00Z", "after", T0));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(upcoming("").events())
                    .extracting(UpcomingEvent::id)
                    .containsExactly("after"));
    Map<String, Object> props =
        KafkaTestUtils.consumerProps(TestInfrastructure.kafka(), "dlt-" + UUID.randomUUID(), false);
    props.put("auto.offset.reset", "earliest");
    try (Consumer<String, String> consumer =
        new DefaultKafkaConsumerFactory<String, String>(
                props,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())
            .createConsumer()) {
      consumer.subscribe(List.of(Topics.deadLetter(Topics.EVENT_CHANGES)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r :
                    KafkaTestUtils.getRecords(consumer, Duration.ofSeconds(2))) {
                  if (poison.equals(r.value())) {
                    return true;
                  }
                }
                return false;
              });
    }
  }

  // --- helpers
  // -------------------------------------------------------------------------------------

  private void connect() {
    messages.publish(
        new ConnectionConnected(
            connection, user, T0, "google", "a@example.com", List.of("openid")));
  }

  private void calendarUpserted(boolean selected, OffsetDateTime at) {
    messages.publish(
        new CalendarUpserted(
            connection,
            user,
            at,
            calendar,
            "a@example.com",
            "Work",
            "#0b8043",
            "Europe/Berlin",
            true,
            "owner",
            selected));
  }

  private void awaitStatus(String status) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                status.equals(
                    db.sql("select status from connections where id = :id")
                        .bind("id", connection)
                        .map(row -> row.get(0, String.class))
                        .one()
                        .block()));
  }

  private void upsertAt(OffsetDateTime occurredAt, EventPayload event) {
    messages.publish(new EventUpserted(connection, user, occurredAt, calendar, 1, event));
  }

  private void upsert(long generation, EventPayload event) {
    messages.publish(new EventUpserted(connection, user, T0, calendar, generation, event));
  }

  private UpcomingEventsResponse upcoming(String query) {
    return upcomingAs(user, query);
  }

  private String upcomingBody(String who, String query) {
    return http.get()
        .uri("/api/calendar/events/upcoming/" + query)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(who)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  private UpcomingEventsResponse upcomingAs(String who, String query) {
    return http.get()
        .uri("/api/calendar/events/upcoming/" + query)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(who)))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(UpcomingEventsResponse.class)
        .returnResult()
        .getResponseBody();
  }
}
