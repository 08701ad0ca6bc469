package io.calsync.query.upcoming.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.http.UpcomingEventsResponse;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;

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

  @LocalServerPort int port;
  @Autowired ReadModelWriter writer;
  @Autowired DatabaseClient db;

  @Test
  void measure() throws IOException, InterruptedException {
    String user = "heavy-" + UUID.randomUUID();
    long seeding = System.nanoTime();
    HeavyCalendar.seed(writer, user, EVENTS, SERIES, CONNECTIONS);
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
}
