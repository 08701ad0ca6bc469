package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.testing.MutableClock;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;

/**
 * The read model's metrics: messages applied by type with their lag from {@code occurred_at} to the
 * commit, the tables' row estimates, and the upcoming list's latency in fixed buckets.
 */
@QueryServiceTest
class ReadModelMetricsApplicationTests {

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> template;
  @Autowired DatabaseClient db;
  @Autowired MeterRegistry meters;
  @Autowired MutableClock clock;
  @Autowired RowGauges rows;

  private final UUID connection = UUID.randomUUID();
  private final String user = "user-" + UUID.randomUUID();

  @Test
  void anAppliedMessageCountsByTypeWithItsLagFromOccurredAtToTheCommit() {
    double applied = applied(ConnectionConnected.TYPE);
    Timer lag = meters.get("calsync.query.apply.lag").timer();
    long lagged = lag.count();
    double lagSeconds = lag.totalTime(TimeUnit.SECONDS);
    // the service's clock stands still: this message waited exactly 3 s by it
    OffsetDateTime occurredAt =
        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).minusSeconds(3);

    new Messages(template)
        .publish(
            new ConnectionConnected(
                connection, user, occurredAt, "google", "a@example.com", List.of("openid")));
    await().atMost(Duration.ofSeconds(30)).until(this::connectionStored);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(applied(ConnectionConnected.TYPE) - applied).isEqualTo(1.0));
    assertThat(lag.count() - lagged).isGreaterThanOrEqualTo(1);
    assertThat(lag.totalTime(TimeUnit.SECONDS) - lagSeconds).isGreaterThanOrEqualTo(3.0);
  }

  @Test
  void theRowGaugesReadPostgresqlsEstimates() {
    new Messages(template)
        .publish(
            new ConnectionConnected(
                connection,
                user,
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                "google",
                "a@example.com",
                List.of("openid")));
    await().atMost(Duration.ofSeconds(30)).until(this::connectionStored);

    // the statistics reach pg_stat_user_tables a moment after the commit
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              rows.refresh().as(StepVerifier::create).verifyComplete();
              assertThat(
                      meters.get("calsync.query.rows").tag("table", "connections").gauge().value())
                  .isGreaterThanOrEqualTo(1);
            });
    assertThat(meters.find("calsync.query.rows").gauges()).hasSize(4);
  }

  @Test
  void theUpcomingListsLatencyIsKeptInFixedBuckets() {
    TestHttp.client(port)
        .get()
        .uri(ApiPaths.UPCOMING_EVENTS)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
        .exchange()
        .expectStatus()
        .isOk();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get("http.server.requests")
                            .tag("uri", ApiPaths.UPCOMING_EVENTS)
                            .timer()
                            .takeSnapshot()
                            .histogramCounts())
                    .hasSizeBetween(5, 12));
  }

  private boolean connectionStored() {
    return Boolean.TRUE.equals(
        db.sql("select count(*) from connections where id = :id")
            .bind("id", connection)
            .map(r -> r.get(0, Long.class) == 1)
            .one()
            .block());
  }

  private double applied(String type) {
    Counter counter = meters.find("calsync.query.messages.applied").tag("type", type).counter();
    return counter == null ? 0 : counter.count();
  }
}
