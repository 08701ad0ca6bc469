package io.calsync.query.upcoming.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestBeans;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * Not a test (no surefire pattern matches its name; run it with {@code
 * -Dtest=UpcomingThroughputMeasurement}): seeds one user with 20,000 events, 1,600 of them open
 * weekly series, as issue 8 describes, then runs {@code wrk} (8 connections, 20 s) against the
 * running service's {@code GET /api/calendar/events/upcoming/?limit=20&days=7} and writes wrk's
 * output to {@code target/upcoming-measurement.txt}. It asserts only that the answer is full.
 */
@QueryServiceTest
class UpcomingThroughputMeasurement {

  private static final Logger log = LoggerFactory.getLogger(UpcomingThroughputMeasurement.class);

  private static final int EVENTS = 20_000;
  private static final int SERIES = 1_600;
  private static final int CONNECTIONS = 4;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @LocalServerPort int port;
  @Autowired ReadModelWriter writer;
  @Autowired DatabaseClient db;

  @Test
  void measure() throws IOException, InterruptedException {
    String user = "heavy-" + UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.parse("2026-11-01T00:00:00Z");
    List<UUID> connections = new ArrayList<>();
    List<UUID> calendars = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      UUID connection = UUID.randomUUID();
      UUID calendar = UUID.randomUUID();
      connections.add(connection);
      calendars.add(calendar);
      writer
          .apply(
              List.of(
                  new ConnectionConnected(
                      connection, user, at, "google", "a@example.com", List.of("openid"))))
          .block();
      writer
          .apply(
              List.of(
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
                      true)))
          .block();
    }
    long seeding = System.nanoTime();
    Flux.range(0, CONNECTIONS)
        .flatMap(
            c ->
                Flux.range(0, EVENTS / CONNECTIONS)
                    .map(i -> message(user, connections.get(c), calendars.get(c), c, i, at))
                    .buffer(500)
                    .concatMap(writer::apply),
            CONNECTIONS)
        .blockLast();
    Duration seeded = Duration.ofNanos(System.nanoTime() - seeding);
    // statistics as autovacuum would have them by now, so the plan is the one production gets
    db.sql("analyze").then().block();
    String token = TestInfrastructure.tokenFor(user);
    String path = "/api/calendar/events/upcoming/?limit=20&days=7";
    UpcomingEventsResponse answer =
        TestHttp.client(port)
            .get()
            .uri(path)
            .headers(h -> h.setBearerAuth(token))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(UpcomingEventsResponse.class)
            .returnResult()
            .getResponseBody();
    assertThat(answer.events()).hasSize(20);
    String plan = plan(user);
    List<String> runs = new ArrayList<>();
    for (String round : List.of("warm-up", "measured")) {
      Process wrk =
          new ProcessBuilder(
                  "wrk",
                  "-t2",
                  "-c8",
                  "-d" + ("warm-up".equals(round) ? "10s" : "20s"),
                  "--latency",
                  "-H",
                  "Authorization: Bearer " + token,
                  "http://127.0.0.1:" + port + path)
              .redirectErrorStream(true)
              .start();
      String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      wrk.waitFor();
      runs.add("## " + round + "\n" + out);
    }
    String report =
        "seeded "
            + EVENTS
            + " events ("
            + SERIES
            + " weekly series) in "
            + seeded.toSeconds()
            + " s\nfirst answer ids: "
            + answer.events().stream().map(e -> e.id()).toList()
            + "\n"
            + String.join("\n", runs)
            + "\n## plan\n"
            + plan;
    Files.writeString(Path.of("target/upcoming-measurement.txt"), report);
    log.info("\n{}", report);
  }

  /** The query's plan for the measured request, as PostgreSQL ran it. */
  private String plan(String user) {
    io.calsync.query.upcoming.domain.Window window =
        io.calsync.query.upcoming.domain.Window.of(TestBeans.NOW, ZoneId.of("UTC"), 7);
    return String.join(
        "\n",
        db.sql("explain (analyze, buffers) " + R2dbcUpcomingEventStore.QUERY)
            .bind("user", user)
            .bind("from", window.from().toOffsetDateTime())
            .bind("to", window.to().toOffsetDateTime())
            .bind("firstDay", window.firstDate().atStartOfDay().atOffset(java.time.ZoneOffset.UTC))
            .bind("lastDay", window.lastDate().atStartOfDay().atOffset(java.time.ZoneOffset.UTC))
            .bind("limit", 20)
            .map(row -> row.get(0, String.class))
            .all()
            .collectList()
            .block());
  }

  /** Event {@code i} of connection {@code c}: every 50th of the 5,000 a weekly series. */
  private static EventChangeMessage message(
      String user, UUID connection, UUID calendar, int c, int i, OffsetDateTime at) {
    ZonedDateTime now = TestBeans.NOW.atZone(BERLIN);
    String id = "e" + c + "x" + i;
    boolean series = i % ((EVENTS / CONNECTIONS) / (SERIES / CONNECTIONS)) == 0;
    EventPayload payload;
    if (series) {
      // open weekly series begun up to a year ago
      ZonedDateTime start =
          now.minusDays(i % 365).withHour(8 + i % 9).withMinute(0).withSecond(0).withNano(0);
      payload =
          payload(
              id,
              EventTime.of(start.toOffsetDateTime(), "Europe/Berlin"),
              EventTime.of(start.plusMinutes(30).toOffsetDateTime(), "Europe/Berlin"),
              List.of("RRULE:FREQ=WEEKLY"),
              at);
    } else if (i % 20 == 1) {
      LocalDate day = now.toLocalDate().plusDays((i % 60) - 30);
      payload = payload(id, EventTime.ofDate(day), EventTime.ofDate(day.plusDays(1)), null, at);
    } else {
      // spread over 60 days around now
      ZonedDateTime start =
          now.minusDays(30).plusSeconds((long) i * 60L * 24 * 3600 / (EVENTS / CONNECTIONS));
      payload =
          payload(
              id,
              EventTime.of(start.toOffsetDateTime(), "Europe/Berlin"),
              EventTime.of(start.plusHours(1).toOffsetDateTime(), "Europe/Berlin"),
              null,
              at);
    }
    return new EventUpserted(connection, user, at, calendar, 1, payload);
  }

  private static EventPayload payload(
      String id, EventTime start, EventTime end, List<String> recurrence, OffsetDateTime at) {
    return new EventPayload(
        id,
        "confirmed",
        "Event " + id,
        "A description of " + id,
        "Room " + id.length(),
        start,
        end,
        recurrence,
        null,
        null,
        "https://calendar.test/" + id,
        at,
        "\"1\"",
        id + "@google.com");
  }
}
