package io.calsync.oauth.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.support.OAuthServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/** The outbox backlog as operators see it: unpublished rows and the age of the oldest. */
@OAuthServiceTest
class OutboxGaugesApplicationTests {

  @Autowired OutboxGauges gauges;
  @Autowired MeterRegistry meters;
  @Autowired Clock clock;

  @Test
  void shouldReportUnpublishedRowsAndHowLongTheOldestHasWaited() throws SQLException {
    Instant now = clock.instant();
    String key = UUID.randomUUID().toString();
    try (Connection sql = OutboxRows.database()) {
      OutboxRows.relayLock(sql, "pg_advisory_lock");
      try {
        OutboxRows.insert(sql, key, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(29)));
        OutboxRows.insert(sql, key, now.minus(Duration.ofHours(2)), null);
        OutboxRows.insert(sql, key, now.minus(Duration.ofMinutes(5)), null);

        gauges.refresh().as(StepVerifier::create).verifyComplete();

        // other tests' unpublished rows may wait too; the published one never counts
        assertThat(meters.get("calsync.outbox.backlog").gauge().value()).isGreaterThanOrEqualTo(2);
        assertThat(meters.get("calsync.outbox.oldest.age").gauge().value())
            .isGreaterThanOrEqualTo(Duration.ofHours(2).toSeconds())
            .isLessThan(Duration.ofDays(29).toSeconds());
      } finally {
        OutboxRows.deleteAndUnlock(sql, key);
      }
    }
    gauges.refresh().as(StepVerifier::create).verifyComplete();
    assertThat(meters.get("calsync.outbox.oldest.age").gauge().value())
        .isLessThan(Duration.ofHours(2).toSeconds());
  }
}
