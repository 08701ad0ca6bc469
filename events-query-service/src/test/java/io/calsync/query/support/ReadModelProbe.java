package io.calsync.query.support;

import io.calsync.query.stream.ChangeNotifications;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Reads the read model's tables and hears its announcements over a JDBC connection of its own (not
 * the service's pool), labelled by a {@link ReadModelStream}'s world, so two worlds compare.
 */
public final class ReadModelProbe implements AutoCloseable {

  /** A channel of its own for the markers, which the service does not hear. */
  private static final String MARKERS = "read_model_probe_markers";

  private final Connection jdbc;

  public ReadModelProbe() throws SQLException {
    jdbc =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + TestInfrastructure.database().port() + "/events",
            "postgres",
            "postgres");
    try (Statement s = jdbc.createStatement()) {
      s.execute("listen " + ChangeNotifications.CHANNEL);
      s.execute("listen " + MARKERS);
    }
  }

  /** Every row of the world's connections (connections, calendars, events), labelled, sorted. */
  public List<String> tables(ReadModelStream world) throws SQLException {
    List<String> rows = new ArrayList<>();
    rows.addAll(
        rows(world, "select row_to_json(t)::text from connections t where id::text in (?, ?)"));
    rows.addAll(
        rows(
            world,
            "select row_to_json(t)::text from calendars t where connection_id::text in (?, ?)"));
    rows.addAll(
        rows(
            world,
            "select row_to_json(t)::text from events t where connection_id::text in (?, ?)"));
    return rows.stream().sorted().toList();
  }

  /**
   * The announcements of the world's users committed since the last call, in order, labelled, as
   * the service's listener reads them (trailing white space ignored).
   */
  public List<String> announcements(ReadModelStream world) throws SQLException {
    String marker = "marker-" + UUID.randomUUID();
    try (Statement s = jdbc.createStatement()) {
      // delivered after every notification of the transactions that committed before it
      s.execute("notify " + MARKERS + ", '" + marker + "'");
    }
    List<String> heard = new ArrayList<>();
    PGConnection pg = jdbc.unwrap(PGConnection.class);
    while (true) {
      PGNotification[] notifications = pg.getNotifications(10_000);
      if (notifications == null || notifications.length == 0) {
        throw new IllegalStateException("the marker notification did not arrive");
      }
      for (PGNotification n : notifications) {
        if (n.getParameter().equals(marker)) {
          return heard;
        }
        if (n.getParameter().contains(world.userA) || n.getParameter().contains(world.userB)) {
          heard.add(world.label(n.getParameter().strip()));
        }
      }
    }
  }

  private List<String> rows(ReadModelStream world, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (PreparedStatement s = jdbc.prepareStatement(sql)) {
      s.setString(1, world.connectionA.toString());
      s.setString(2, world.connectionB.toString());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(world.label(r.getString(1)));
        }
      }
    }
    return rows;
  }

  @Override
  public void close() throws SQLException {
    jdbc.close();
  }
}
