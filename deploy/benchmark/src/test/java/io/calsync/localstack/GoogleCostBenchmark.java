package io.calsync.localstack;

import static io.calsync.localstack.BenchmarkReport.figure;
import static io.calsync.localstack.BenchmarkReport.scaled;
import static io.calsync.localstack.FaultSuite.emulator;
import static io.calsync.localstack.FaultSuite.seededAccount;
import static io.calsync.localstack.SystemClient.connectWithoutWaiting;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.BenchmarkReport.Table;
import java.io.IOException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * What the platform costs at Google (the emulator's request counts): the requests of an incremental
 * sync without changes ("sync now" on idle connections), and the requests per idle calendar per
 * hour, measured over an idle window and computed from sync-service's schedules.
 */
@Order(40)
@ExtendWith(SystemStack.class)
class GoogleCostBenchmark {

  /** sync-service's defaults (its application.yml) and the emulator's token lifetime. */
  private static final double BACKSTOP_MINUTES = 15;

  private static final double CHANNEL_TTL_HOURS = 7 * 24;
  private static final double CHANNEL_RENEW_BEFORE_HOURS = 24;
  private static final double ACCESS_TOKEN_HOURS = 3599 / 3600.0;

  private record Subject(String userToken, String connection) {}

  @Test
  void googleRequestsOfAnIdleCalendar() throws Exception {
    int accounts = scaled(10, 2);
    List<Subject> subjects = new ArrayList<>();
    for (int i = 0; i < accounts; i++) {
      String email = seededAccount("bench-cost", 100, 30);
      String token = userToken("bench-cost-" + UUID.randomUUID());
      subjects.add(new Subject(token, connectWithoutWaiting(token, email)));
    }
    Map<String, String> attempts = new HashMap<>();
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> allIdleAfter(subjects, attempts));

    // one "sync now" per idle connection: an incremental sync of one calendar without changes
    Map<String, Long> before = requests();
    Map<String, String> previous = new HashMap<>(attempts);
    for (Subject s : subjects) {
      assertThat(
              send(
                      "POST",
                      gateway("/api/calendar/sync/"),
                      s.userToken(),
                      "{\"connection_id\":\"" + s.connection() + "\"}")
                  .statusCode())
          .isEqualTo(202);
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> allIdleAfter(subjects, attempts) && ranAgain(previous, attempts));
    Map<String, Long> after = requests();
    double eventsLists = delta(before, after, "events.list") / (double) accounts;
    double calendarLists = delta(before, after, "calendarList.list") / (double) accounts;
    double all = delta(before, after, "*") / (double) accounts;

    // an idle window: every calendar of the stack idle, every request to Google counted
    int windowSeconds = scaled(300, 30);
    long calendars = selectedCalendars();
    Map<String, Long> windowStart = requests();
    long start = System.nanoTime();
    await()
        .pollDelay(Duration.ofSeconds(windowSeconds))
        .atMost(Duration.ofSeconds(windowSeconds + 5))
        .until(() -> true);
    Map<String, Long> windowEnd = requests();
    double hours = (System.nanoTime() - start) / 3.6e12;
    double measuredPerHour = delta(windowStart, windowEnd, "*") / (double) calendars / hours;

    double runsPerHour = 60 / BACKSTOP_MINUTES;
    double perRun =
        2; // calendarList.list of its connection and one events.list (one calendar each)
    double tokenRefreshes = 1 / ACCESS_TOKEN_HOURS;
    double channelRenewals = 2 / (CHANNEL_TTL_HOURS - CHANNEL_RENEW_BEFORE_HOURS);
    double computedPerHour = runsPerHour * perRun + tokenRefreshes + channelRenewals;

    Table table =
        Table.of("what", "requests", "how")
            .row(
                "events.list per calendar, incremental sync without changes",
                figure(eventsLists),
                "measured: emulator stats around one \"sync now\" on each of "
                    + accounts
                    + " idle connections (target 1)")
            .row(
                "calendarList.list per connection, same syncs",
                figure(calendarLists),
                "measured, same window")
            .row("all requests per connection, same syncs", figure(all), "measured, same window")
            .row(
                "requests per idle calendar per hour",
                figure(measuredPerHour),
                "measured: every request to Google over an idle window of "
                    + windowSeconds
                    + " s, divided by the stack's "
                    + calendars
                    + " selected calendars")
            .row(
                "requests per idle calendar per hour",
                figure(computedPerHour),
                String.format(
                    Locale.ROOT,
                    "computed from the schedules: backstop every %.0f min × (calendarList.list +"
                        + " events.list) = %.0f, access-token refresh every %.0f min = %.2f,"
                        + " channel renewal (events.watch + channels.stop every %.0f days) ="
                        + " %.3f",
                    BACKSTOP_MINUTES,
                    runsPerHour * perRun,
                    ACCESS_TOKEN_HOURS * 60,
                    tokenRefreshes,
                    (CHANNEL_TTL_HOURS - CHANNEL_RENEW_BEFORE_HOURS) / 24,
                    channelRenewals));
    BenchmarkReport.section(
        "Google cost",
        "Requests the platform sends to Google (the emulator's request counts) for connections"
            + " with one calendar each.",
        table,
        "The measured hourly figure counts what happened in the window: a backstop run falls"
            + " in it or not, so a short window is coarse (it is scaled with the benchmark); the"
            + " computed figure is what the schedules cost in the long run. Other stages' connections"
            + " share the stack, so their requests count in the measured figures too.");
  }

  /** Every subject's connection idle with a success; records each one's last attempt. */
  private static boolean allIdleAfter(List<Subject> subjects, Map<String, String> attempts)
      throws IOException, InterruptedException {
    boolean idle = true;
    for (Subject s : subjects) {
      JsonNode status = json(get(gateway("/api/calendar/sync/status/"), s.userToken()));
      for (JsonNode c : status.path("connections")) {
        if (s.connection().equals(c.path("connection_id").asString())) {
          idle &= "idle".equals(c.path("state").asString()) && !c.path("last_success_at").isNull();
          attempts.put(s.connection(), c.path("last_attempt_at").asString());
        }
      }
      idle &= attempts.containsKey(s.connection());
    }
    return idle;
  }

  private static boolean ranAgain(Map<String, String> previous, Map<String, String> now) {
    return previous.entrySet().stream().allMatch(e -> !e.getValue().equals(now.get(e.getKey())));
  }

  private static Map<String, Long> requests() throws IOException, InterruptedException {
    Map<String, Long> counts = new HashMap<>();
    long total = 0;
    for (var entry :
        json(get(emulator("/emulator/v1/stats"), null)).path("requests").properties()) {
      counts.put(entry.getKey(), entry.getValue().asLong());
      total += entry.getValue().asLong();
    }
    counts.put("*", total);
    return counts;
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String operation) {
    return after.getOrDefault(operation, 0L) - before.getOrDefault(operation, 0L);
  }

  /** The calendars sync-service keeps in sync, read from its database as an operator would. */
  private static long selectedCalendars() throws SQLException {
    try (var db =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + SystemClient.settings().postgresPort() + "/sync",
                "postgres",
                "");
        var select =
            db.prepareStatement("select count(*) from calendars where selected and not removed");
        var row = select.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }
}
