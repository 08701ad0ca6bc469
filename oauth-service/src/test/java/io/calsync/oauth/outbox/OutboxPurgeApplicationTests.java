package io.calsync.oauth.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.TestInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    try (Connection sql = database()) {
      relayLock(sql, "pg_advisory_lock");
      try {
        List<Long> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          expired.add(
              insert(sql, key, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(8))));
        }
        long young = insert(sql, key, now.minus(Duration.ofDays(7)), now.minus(Duration.ofDays(6)));
        long unpublished = insert(sql, key, now.minus(Duration.ofDays(30)), null);

        smallBatches
            .purgeOnce()
            .as(StepVerifier::create)
            .assertNext(deleted -> assertThat(deleted).isGreaterThanOrEqualTo(5))
            .verifyComplete();

        assertThat(remaining(sql, key))
            .containsExactly(young, unpublished)
            .doesNotContainAnyElementsOf(expired);

        // the service's own purge, with the shipped settings, keeps them too
        purge.purgeOnce().as(StepVerifier::create).expectNextCount(1).verifyComplete();
        assertThat(remaining(sql, key)).containsExactly(young, unpublished);
      } finally {
        try (PreparedStatement delete =
            sql.prepareStatement("delete from outbox where message_key = ?")) {
          delete.setString(1, key);
          delete.executeUpdate();
        }
        relayLock(sql, "pg_advisory_unlock");
      }
    }
  }

  private static Connection database() throws SQLException {
    return TestInfrastructure.postgres()
        .getDatabase("postgres", TestInfrastructure.DATABASE)
        .getConnection();
  }

  private static void relayLock(Connection sql, String function) throws SQLException {
    try (PreparedStatement statement = sql.prepareStatement("select " + function + "(?)")) {
      statement.setLong(1, OutboxRepository.RELAY_LOCK_KEY);
      statement.execute();
    }
  }

  private static long insert(Connection sql, String key, Instant createdAt, Instant publishedAt)
      throws SQLException {
    try (PreparedStatement statement =
        sql.prepareStatement(
            "insert into outbox (topic, message_key, type, payload, headers, created_at, published_at)"
                + " values ('calendar.connections.v1', ?, 'connection.disconnected', '{}'::json,"
                + " '{}'::jsonb, ?, ?) returning id")) {
      statement.setString(1, key);
      statement.setObject(2, createdAt.atOffset(ZoneOffset.UTC));
      statement.setObject(3, publishedAt == null ? null : publishedAt.atOffset(ZoneOffset.UTC));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private static List<Long> remaining(Connection sql, String key) throws SQLException {
    try (PreparedStatement statement =
        sql.prepareStatement("select id from outbox where message_key = ? order by id")) {
      statement.setString(1, key);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getLong(1));
        }
      }
      return ids;
    }
  }
}
