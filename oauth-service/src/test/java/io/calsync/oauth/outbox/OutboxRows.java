package io.calsync.oauth.outbox;

import io.calsync.oauth.support.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Outbox rows written and read with plain JDBC by the outbox tests, and the relay's advisory lock,
 * which a test holds so the running relay leaves its unpublished rows alone.
 */
final class OutboxRows {

  private OutboxRows() {}

  static Connection database() throws SQLException {
    return TestInfrastructure.postgres()
        .getDatabase("postgres", TestInfrastructure.DATABASE)
        .getConnection();
  }

  static void relayLock(Connection sql, String function) throws SQLException {
    try (PreparedStatement statement = sql.prepareStatement("select " + function + "(?)")) {
      statement.setLong(1, OutboxRepository.RELAY_LOCK_KEY);
      statement.execute();
    }
  }

  static long insert(Connection sql, String key, Instant createdAt, Instant publishedAt)
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

  static List<Long> remaining(Connection sql, String key) throws SQLException {
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

  /** Deletes the test's rows (by key) and releases the relay's lock. */
  static void deleteAndUnlock(Connection sql, String key) throws SQLException {
    try (PreparedStatement delete =
        sql.prepareStatement("delete from outbox where message_key = ?")) {
      delete.setString(1, key);
      delete.executeUpdate();
    }
    relayLock(sql, "pg_advisory_unlock");
  }
}
