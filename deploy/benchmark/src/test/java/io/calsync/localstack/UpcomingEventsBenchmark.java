package io.calsync.localstack;

import static io.calsync.localstack.BenchmarkReport.figure;
import static io.calsync.localstack.BenchmarkReport.scaled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.EventUpserted;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upcoming events under fixed request rates: two data sets put into the read model straight from
 * Kafka, then Gatling holding 200, 500, 1,000 and 2,000 req/s of {@code GET
 * /api/calendar/events/upcoming/?limit=20&days=7} through lane 1's gateway and directly at lane 1's
 * query service, each rate for a fixed time after a warm-up of each target. It asserts that the
 * data arrived, that each target answers the list before each rate and that every request of a rate
 * was sent; errors are reported, never asserted away (an overloaded target may answer none).
 */
@Order(30)
@ExtendWith(SystemStack.class)
class UpcomingEventsBenchmark {

  static final String PATH = "/api/calendar/events/upcoming/?limit=20&days=7";
  private static final int[] RATES = {200, 500, 1_000, 2_000};
  private static final int DAYS = 60;

  /** A data set: its users' tokens and its connections. */
  private record DataSet(String name, List<String> tokens, List<UUID> connections) {}

  private record Target(String name, String baseUrl) {}

  @Test
  void upcomingEventsAtFixedRates() throws Exception {
    int users = scaled(1_000, 10);
    int heavy = scaled(20_000, 200);
    Duration duration = Duration.ofSeconds(scaled(30, 5));
    Duration warmUp = Duration.ofSeconds(scaled(30, 20));
    String run = UUID.randomUUID().toString().substring(0, 8);
    EventMessages messages = new EventMessages(8, Instant.now());
    List<EventUpserted> all = new ArrayList<>();
    DataSet many = dataSet(users + " users × 100 events", run, users, 100, messages, all);
    DataSet one = dataSet("1 user × " + heavy + " events", run, 1, heavy, messages, all);
    long series = all.stream().filter(EventMessages::series).count();
    Instant fed = Instant.now();
    try (ReadModelFeed feed = new ReadModelFeed()) {
      feed.sendAll(all);
      assertThat(feed.flush()).isEqualTo(all.size());
    }
    List<UUID> connections = new ArrayList<>(many.connections());
    connections.addAll(one.connections());
    ReadModelFeed.awaitRows(connections, all.size(), Duration.ofSeconds(120 + all.size() / 20));
    Duration ingest = Duration.between(fed, Instant.now());
    // the heavy user's list is there before it is measured
    HttpResponse<String> list = SystemClient.get(SystemClient.gateway(PATH), one.tokens().get(0));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(SystemClient.json(list).path("events").size()).isPositive();

    LocalStackSettings settings = SystemClient.settings();
    List<Target> targets =
        List.of(
            new Target("gateway", settings.gatewayUrl()),
            new Target("direct", "http://localhost:" + settings.queryPort()));
    BenchmarkReport.Table table =
        BenchmarkReport.Table.of(
            "data set",
            "target",
            "rate (req/s)",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "requests",
            "errors",
            "achieved req/s");
    BenchmarkReport.Table gateway =
        BenchmarkReport.Table.of(
            "data set",
            "rate (req/s)",
            "gateway p50 ms",
            "direct p50 ms",
            "gateway / direct",
            "gateway − direct ms");
    for (DataSet set : List.of(many, one)) {
      GatlingLoad.Result[][] results = new GatlingLoad.Result[targets.size()][RATES.length];
      for (int t = 0; t < targets.size(); t++) {
        Target target = targets.get(t);
        answered(target, set);
        GatlingLoad.run(
            label(set, target, "warm-up"),
            new UpcomingLoadSimulation.Plan(target.baseUrl(), PATH, set.tokens(), 200, warmUp));
        for (int r = 0; r < RATES.length; r++) {
          answered(target, set);
          GatlingLoad.Result result =
              GatlingLoad.run(
                  label(set, target, RATES[r] + "rps"),
                  new UpcomingLoadSimulation.Plan(
                      target.baseUrl(), PATH, set.tokens(), RATES[r], duration));
          // every request of the rate was sent and ended, answered or not (errors are reported)
          assertThat(result.requests())
              .as("requests sent, %s at %d req/s", target.name(), RATES[r])
              .isCloseTo((long) RATES[r] * duration.toSeconds(), withinPercentage(1));
          results[t][r] = result;
          table.row(
              set.name(),
              target.name(),
              figure(RATES[r]),
              figure(result.p50()),
              figure(result.p95()),
              figure(result.p99()),
              result.requests(),
              result.errors(),
              figure(result.perSecond()));
        }
      }
      for (int r = 0; r < RATES.length; r++) {
        double viaGateway = results[0][r].p50();
        double direct = results[1][r].p50();
        gateway.row(
            set.name(),
            figure(RATES[r]),
            figure(viaGateway),
            figure(direct),
            direct > 0 ? figure(viaGateway / direct) : "–",
            figure(viaGateway - direct));
      }
    }
    BenchmarkReport.section(
        "Upcoming events at fixed request rates",
        "`GET "
            + PATH
            + "` with each user's bearer token, at a constant arrival rate (Gatling "
            + "`constantUsersPerSec`, an open model: requests keep arriving whether or not earlier "
            + "ones were answered) for "
            + duration.toSeconds()
            + " s per rate, through lane 1's gateway and directly at lane 1's query service. Data "
            + "sets: "
            + many.name()
            + ", and "
            + one.name()
            + "; "
            + series
            + " of the "
            + all.size()
            + " events are recurring series, spread over the next "
            + DAYS
            + " days with the Google emulator's mix; fed as `event.upserted` on Kafka, in the "
            + "read model after "
            + ingest.toSeconds()
            + " s.",
        table,
        gateway.markdown(),
        "Percentiles over every request of the rate (answered or not), in Gatling's whole "
            + "milliseconds; an error is a status other than 200 or no answer within 10 s; "
            + "achieved req/s is Gatling's mean over the run, the unanswered tail included. "
            + "Each target is warmed up first at 200 req/s for "
            + warmUp.toSeconds()
            + " s (not shown; with 3 s the first target measured was still compiling, and the "
            + "gateway's p50 at 200 req/s read 36 ms instead of 2). Gatling runs in the benchmark's JVM on the same machine as the "
            + "platform, so it takes CPU from it. The gateway's per-user rate limit "
            + "(`GATEWAY_USER_RATE`, 20/s by default) is raised for the benchmark's stack (its pom), "
            + "so that one user can send 2,000 req/s; the limiter still runs on every request. "
            + "Gatling's reports: `deploy/benchmark/target/gatling/`.");
  }

  private static DataSet dataSet(
      String name,
      String run,
      int users,
      int eventsEach,
      EventMessages messages,
      List<EventUpserted> all)
      throws Exception {
    List<String> tokens = new ArrayList<>();
    List<UUID> connections = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = "bench-" + run + "-" + (users == 1 ? "heavy" : String.valueOf(u));
      UUID connection = UUID.randomUUID();
      tokens.add(SystemClient.userToken(user));
      connections.add(connection);
      all.addAll(messages.calendar(connection, user, eventsEach, DAYS));
    }
    return new DataSet(name, tokens, connections);
  }

  /** Waits until the target answers the data set's first user (a breaker may still be open). */
  private static void answered(Target target, DataSet set) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                SystemClient.get(target.baseUrl() + PATH, set.tokens().get(0)).statusCode() == 200);
  }

  private static String label(DataSet set, Target target, String what) {
    return (set.connections().size() == 1 ? "one-user" : "many-users")
        + "-"
        + target.name()
        + "-"
        + what;
  }
}
