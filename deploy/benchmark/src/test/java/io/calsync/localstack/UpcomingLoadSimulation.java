package io.calsync.localstack;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The upcoming-events load as Gatling runs it: an open model holding {@code rate} new virtual users
 * per second for {@code duration}, each one {@code GET} of the upcoming list with the bearer token
 * of the next user (a circular feeder over the users' tokens), on connections shared by all virtual
 * users (as a gateway's clients reuse theirs; a new connection per request would measure TCP set-up
 * and run out of ports). {@link GatlingLoad} sets the {@link #plan} before each run, as Gatling
 * makes the simulation itself from its class name; public because Gatling instantiates it.
 *
 * <p>The assertions only name what {@link GatlingLoad} reads back from the run's results, in this
 * order; they hold whatever was measured (nothing is asserted about timing).
 */
public final class UpcomingLoadSimulation extends Simulation {

  /** The request every virtual user sends; Gatling's statistics are read for it. */
  static final String REQUEST = "upcoming";

  /** What the next run does. */
  record Plan(String baseUrl, String path, List<String> tokens, int rate, Duration duration) {}

  static volatile Plan plan;

  /** The statistics read back, in the order of {@link #STATISTICS}' assertions. */
  static final List<Assertion> STATISTICS =
      List.of(
          global().allRequests().count().gte(0L),
          global().failedRequests().count().gte(0L),
          global().responseTime().percentile(50.0).gte(0),
          global().responseTime().percentile(95.0).gte(0),
          global().responseTime().percentile(99.0).gte(0),
          global().requestsPerSec().gte(0.0));

  public UpcomingLoadSimulation() {
    Plan current = plan;
    List<Map<String, Object>> users =
        current.tokens().stream().map(token -> Map.<String, Object>of("token", token)).toList();
    setUp(
            scenario("upcoming events")
                .feed(listFeeder(users).circular())
                .exec(
                    http(REQUEST)
                        .get(current.path())
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200)))
                .injectOpen(constantUsersPerSec(current.rate()).during(current.duration())))
        .protocols(
            http.baseUrl(current.baseUrl())
                .shareConnections()
                // at most as many connections as descriptors allow: an overloaded target would
                // otherwise see one more per request in flight; a request waiting for one is timed
                .maxConnectionsPerHost(1_000)
                .disableWarmUp()
                .disableCaching()
                .acceptHeader("application/json"))
        .assertions(STATISTICS);
  }
}
