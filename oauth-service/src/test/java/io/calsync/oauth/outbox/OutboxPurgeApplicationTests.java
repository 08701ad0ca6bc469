package io.calsync.oauth.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.support.OAuthServiceTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/**
 * The outbox retention: published rows older than the retention are deleted in batches, younger
 * ones and unpublished ones (whatever their age) are kept. While the test's rows exist the test
 * holds the relay's advisory lock, so the running relay cannot publish its unpublished row.
 */
@OAuthServiceTest
class OutboxPurgeApplicationTests {

  @Autowired OutboxRepository repository;
  @Autowired OutboxPurge purge;
  @Autowired OutboxProperties properties;
  @Autowired Clock clock;

  @Test
  void shouldDeletePublishedRowsOlderThanTheRetentionInBatchesAndNeverAnUnpublishedOne()
      throws SQLException {
    Instant now = clock.instant();
    String key = UUID.randomUUID().toString();
    OutboxPurge smallBatches =
        new OutboxPurge(
            repository,
            new OutboxProperties(
                properties.pollInterval(),
                properties.batchSize(),
                properties.sendTimeout(),
                Duration.ofDays(7),
                new OutboxProperties.Purge(Duration.ofHours(1), 2)),
            clock,
            new SimpleMeterRegistry());
    try (Connection sql = OutboxRows.database()) {
      OutboxRows.relayLock(sql, "pg_advisory_lock");
      try {
        List<Long> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          expired.add(
              OutboxRows.insert(
                  sql, key, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(8))));
        }
        long young =
            OutboxRows.insert(
                sql, key, now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(6)));
        long unpublished = OutboxRows.insert(sql, key, now.minus(Duration.ofDays(30)), null);

        smallBatches
            .purgeOnce()
            .as(StepVerifier::create)
            .assertNext(deleted -> assertThat(deleted).isGreaterThanOrEqualTo(5))
            .verifyComplete();

        assertThat(OutboxRows.remaining(sql, key))
            .containsExactly(young, unpublished)
            .doesNotContainAnyElementsOf(expired);

        // the service's own purge, with the shipped settings, keeps them too
        purge.purgeOnce().as(StepVerifier::create).expectNextCount(1).verifyComplete();
        assertThat(OutboxRows.remaining(sql, key)).containsExactly(young, unpublished);
      } finally {
        OutboxRows.deleteAndUnlock(sql, key);
      }
    }
  }
}
