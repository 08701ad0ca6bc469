package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.UpcomingEvent;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.testing.MutableClock;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Materialized occurrences through the whole write path (the writer, in its transaction) and read
 * back through the HTTP API. "Now" is {@code 2026-11-23T08:00:00Z} (09:00 in Berlin, a Monday) when
 * each test starts.
 */
@QueryServiceTest
class OccurrencesApplicationTests {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");
  private static final String MOVED = "standup_20261124T080000Z";
  private static final String CANCELLED = "standup_20261125T080000Z";
  private static final String THREE_DAYS = "?days=3&tz=Europe/Berlin&limit=20";

  @LocalServerPort int port;
  @Autowired ReadModelWriter writer;
  @Autowired OccurrenceHorizon horizon;
  @Autowired MutableClock clock;
  @Autowired DatabaseClient db;

  private WebTestClient http;
  private final String user = "occ-" + UUID.randomUUID();
  private final UUID connection = UUID.randomUUID();
  private final UUID calendar = UUID.randomUUID();

  @BeforeEach
  void setUp() {
    http = TestHttp.client(port);
    writer
        .apply(
            List.of(
                new ConnectionConnected(
                    connection, user, T0, "google", "a@example.com", List.of("openid"))))
        .block();
    apply(
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
  }

  static Stream<Arguments> orders() {
    List<String> parts = List.of("master", "moved", "cancelled");
    List<Arguments> out = new ArrayList<>();
    for (String a : parts) {
      for (String b : parts) {
        for (String c : parts) {
          if (!a.equals(b) && !b.equals(c) && !a.equals(c)) {
            out.add(Arguments.of(List.of(a, b, c)));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("orders")
  void whenMasterExceptionAndCancellationArriveInAnyOrderThenInstancesAppearMoveAndDisappear(
      List<String> order) {
    Map<String, EventChangeMessage> messages =
        Map.of(
            "master", upsert(1, master("standup", "RRULE:FREQ=DAILY;COUNT=10")),
            "moved", upsert(1, moved()),
            "cancelled", cancellation());
    List<String> arrived = new ArrayList<>();
    for (String part : order) {
      apply(messages.get(part));
      arrived.add(part);
      assertThat(upcoming(THREE_DAYS))
          .as("after %s", arrived)
          .containsExactlyElementsOf(expected(arrived));
    }
    // a deleted master takes its whole series with it, exceptions too
    apply(
        new EventDeleted(
            connection,
            user,
            T0,
            calendar,
            1,
            payload("standup", "cancelled", null, null, null, T0.plusHours(1))));
    assertThat(upcoming(THREE_DAYS)).isEmpty();
  }

  /** What the list over 23–26 November (09:00 Berlin) shows once {@code arrived} are written. */
  private static List<String> expected(List<String> arrived) {
    List<String> out = new ArrayList<>();
    boolean master = arrived.contains("master");
    if (master) {
      out.add("standup_20261123T080000Z 2026-11-23T09:00:00+01:00");
    }
    if (arrived.contains("moved")) {
      out.add(MOVED + " 2026-11-24T14:00:00+01:00");
    } else if (master) {
      out.add(MOVED + " 2026-11-24T09:00:00+01:00");
    }
    if (master && !arrived.contains("cancelled")) {
      out.add(CANCELLED + " 2026-11-25T09:00:00+01:00");
    }
    return out;
  }

  @Test
  void whileItsConnectionNeedsReauthASeriesIsHiddenAndAfterwardsListedAgain() {
    apply(upsert(1, master("standup", "RRULE:FREQ=DAILY;COUNT=10")));
    List<String> listed = upcoming(THREE_DAYS);
    assertThat(listed).hasSize(3);

    writer
        .apply(
            List.of(
                new ConnectionReauthRequired(connection, user, T0.plusHours(1), "invalid_grant")))
        .block();
    assertThat(upcoming(THREE_DAYS)).isEmpty();

    writer
        .apply(
            List.of(
                new ConnectionConnected(
                    connection, user, T0.plusHours(2), "google", "a@example.com", List.of())))
        .block();
    assertThat(upcoming(THREE_DAYS)).isEqualTo(listed);
  }

  @Test
  void whenOpenSeriesBeganIn2020ThenNextWeeksInstancesAreListedAndOnlyTheHorizonIsStored() {
    apply(upsert(1, master("daily2020", "2020-01-06T10:00:00+01:00", "RRULE:FREQ=DAILY")));
    apply(upsert(1, master("weekly2020", "2020-01-06T10:00:00+01:00", "RRULE:FREQ=WEEKLY")));

    // next week: Monday 30 November to Monday 7 December, 09:00 Berlin
    clock.advance(Duration.ofDays(7));
    assertThat(upcoming("?days=7&tz=Europe/Berlin&limit=100"))
        .contains(
            "daily2020_20261130T090000Z 2026-11-30T10:00:00+01:00",
            "daily2020_20261206T090000Z 2026-12-06T10:00:00+01:00",
            "weekly2020_20261130T090000Z 2026-11-30T10:00:00+01:00")
        .hasSize(8);
    // stored from the horizon's start (two days before now) to 400 days ahead, not since 2020
    assertThat(rows("daily2020")).isBetween(400L, 403L);
    assertThat(rows("weekly2020")).isBetween(57L, 59L);
  }

  @Test
  void whenTheHorizonJobRunsLaterThenItExtendsTheSeriesAndDropsWhatEnded() {
    apply(upsert(1, master("daily", "2026-11-23T10:00:00+01:00", "RRULE:FREQ=DAILY")));
    // 395 days on, a week's window reaches past the 400 days expanded when the master was written
    clock.advance(Duration.ofDays(395));
    assertThat(upcoming("?days=7&tz=Europe/Berlin&limit=100")).hasSize(5);

    // two instances at once: each series is redone once, under its connection's lock
    StepVerifier.create(Mono.when(horizon.run(), horizon.run())).verifyComplete();

    assertThat(upcoming("?days=7&tz=Europe/Berlin&limit=100"))
        .hasSize(7)
        .startsWith("daily_20271223T090000Z 2027-12-23T10:00:00+01:00")
        .endsWith("daily_20271229T090000Z 2027-12-29T10:00:00+01:00");
    assertThat(rows("daily")).isBetween(400L, 403L);
    StepVerifier.create(horizon.run()).verifyComplete();
    assertThat(rows("daily")).isBetween(400L, 403L);
  }

  @Test
  void whenASweepRemovesExceptionsThenTheMastersInstancesComeBack() {
    apply(new SnapshotStarted(connection, user, T0, calendar, 1));
    apply(upsert(1, master("standup", "RRULE:FREQ=DAILY;COUNT=10")));
    apply(upsert(1, moved()));
    apply(cancellation());
    assertThat(upcoming(THREE_DAYS))
        .containsExactly(
            "standup_20261123T080000Z 2026-11-23T09:00:00+01:00",
            MOVED + " 2026-11-24T14:00:00+01:00");

    // a new full sync delivers the master only: the exception and the cancellation are gone
    apply(new SnapshotStarted(connection, user, T0, calendar, 2));
    apply(upsert(2, master("standup", "RRULE:FREQ=DAILY;COUNT=10")));
    apply(new SnapshotCompleted(connection, user, T0, calendar, 2, 1));

    assertThat(upcoming(THREE_DAYS))
        .containsExactly(
            "standup_20261123T080000Z 2026-11-23T09:00:00+01:00",
            MOVED + " 2026-11-24T09:00:00+01:00",
            CANCELLED + " 2026-11-25T09:00:00+01:00");
  }

  @Test
  void whenSeriesWereWrittenBeforeTheMigrationThenTheHorizonJobMaterializesThem() {
    apply(upsert(1, master("old", "RRULE:FREQ=DAILY;COUNT=10")));
    // as V4 leaves rows written before it: no occurrences, the group waiting for the job
    db.sql("delete from occurrences where connection_id = :c")
        .bind("c", connection)
        .fetch()
        .rowsUpdated()
        .then(
            db.sql(
                    "update occurrence_series set expanded_until = '-infinity'"
                        + " where connection_id = :c")
                .bind("c", connection)
                .fetch()
                .rowsUpdated())
        .block();
    assertThat(upcoming("?days=2&tz=Europe/Berlin&limit=20")).isEmpty();

    StepVerifier.create(horizon.run()).verifyComplete();

    assertThat(upcoming("?days=2&tz=Europe/Berlin&limit=20"))
        .containsExactly(
            "old_20261123T080000Z 2026-11-23T09:00:00+01:00",
            "old_20261124T080000Z 2026-11-24T09:00:00+01:00");
  }

  private long rows(String series) {
    return db.sql("select count(*) from occurrences where connection_id = :c and group_id = :g")
        .bind("c", connection)
        .bind("g", series)
        .map(row -> row.get(0, Long.class))
        .one()
        .block();
  }

  private List<String> upcoming(String query) {
    UpcomingEventsResponse response =
        http.get()
            .uri("/api/calendar/events/upcoming/" + query)
            .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(UpcomingEventsResponse.class)
            .returnResult()
            .getResponseBody();
    return response.events().stream().map(OccurrencesApplicationTests::line).toList();
  }

  private static String line(UpcomingEvent e) {
    return e.id() + " " + e.start();
  }

  private void apply(EventChangeMessage message) {
    writer.apply(List.of(message)).block();
  }

  private EventUpserted upsert(long generation, EventPayload payload) {
    return new EventUpserted(connection, user, T0, calendar, generation, payload);
  }

  private EventDeleted cancellation() {
    return new EventDeleted(
        connection,
        user,
        T0,
        calendar,
        1,
        payload(
            CANCELLED,
            "cancelled",
            null,
            "standup",
            EventTime.of(OffsetDateTime.parse("2026-11-25T09:00:00+01:00"), "Europe/Berlin"),
            T0));
  }

  private static EventPayload master(String id, String rule) {
    return master(id, "2026-11-16T09:00:00+01:00", rule);
  }

  private static EventPayload master(String id, String start, String rule) {
    OffsetDateTime at = OffsetDateTime.parse(start);
    return new EventPayload(
        id,
        "confirmed",
        "Standup",
        null,
        null,
        EventTime.of(at, "Europe/Berlin"),
        EventTime.of(at.plusMinutes(15), "Europe/Berlin"),
        List.of(rule),
        null,
        null,
        null,
        T0,
        null,
        null);
  }

  private static EventPayload moved() {
    return new EventPayload(
        MOVED,
        "confirmed",
        "Standup (moved)",
        null,
        null,
        EventTime.of(OffsetDateTime.parse("2026-11-24T14:00:00+01:00"), "Europe/Berlin"),
        EventTime.of(OffsetDateTime.parse("2026-11-24T14:15:00+01:00"), "Europe/Berlin"),
        null,
        "standup",
        EventTime.of(OffsetDateTime.parse("2026-11-24T09:00:00+01:00"), "Europe/Berlin"),
        null,
        T0,
        null,
        null);
  }

  /** A payload without times, as Google sends a cancellation or a deletion. */
  private static EventPayload payload(
      String id,
      String status,
      EventTime start,
      String series,
      EventTime originalStart,
      OffsetDateTime updated) {
    return new EventPayload(
        id,
        status,
        null,
        null,
        null,
        start,
        null,
        null,
        series,
        originalStart,
        null,
        updated,
        null,
        null);
  }
}
