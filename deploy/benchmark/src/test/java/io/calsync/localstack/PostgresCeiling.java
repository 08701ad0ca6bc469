package io.calsync.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * PostgreSQL alone, as a ceiling for the stages that write the read model: the stack's {@code
 * events} database upserting the same rows into a scratch copy of the {@code events} table (its
 * columns, keys and indexes), once one row per statement (each its own transaction, as a per-record
 * consumer writes) and once in {@value #BATCH}-row statements. Plain JDBC on one connection; the
 * scratch table is dropped afterwards.
 */
final class PostgresCeiling {

  static final int BATCH = 500;

  private static final String COLUMNS =
      "connection_id, calendar_id, event_id, user_id, status, title, description, location,"
          + " start_at, start_offset_seconds, start_time_zone, end_at, end_offset_seconds,"
          + " end_time_zone, start_date, end_date, all_day, html_link, source_updated, etag,"
          + " generation";
  private static final int COLUMN_COUNT = COLUMNS.split(",").length;
  private static final String UPDATE =
      " on conflict (connection_id, calendar_id, event_id) do update set user_id = excluded.user_id,"
          + " status = excluded.status, title = excluded.title,"
          + " description = excluded.description, location = excluded.location,"
          + " start_at = excluded.start_at, start_offset_seconds = excluded.start_offset_seconds,"
          + " start_time_zone = excluded.start_time_zone, end_at = excluded.end_at,"
          + " end_offset_seconds = excluded.end_offset_seconds,"
          + " end_time_zone = excluded.end_time_zone, start_date = excluded.start_date,"
          + " end_date = excluded.end_date, all_day = excluded.all_day,"
          + " html_link = excluded.html_link,"
          + " source_updated = excluded.source_updated, etag = excluded.etag,"
          + " generation = excluded.generation";

  /** One row of {@code events}, as a stage writes it: timed (start, end) or all-day (dates). */
  record Row(
      UUID connectionId,
      UUID calendarId,
      String eventId,
      String userId,
      String title,
      String description,
      String location,
      OffsetDateTime start,
      OffsetDateTime end,
      LocalDate startDate,
      LocalDate endDate,
      String timeZone,
      String htmlLink,
      OffsetDateTime updated,
      String etag) {}

  /** Rows per second: one row per statement, and {@value #BATCH} rows per statement. */
  record Rates(double oneRowPerStatement, double batched) {}

  private PostgresCeiling() {}

  /** The stack's {@code events} database. */
  static Connection events() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + SystemStack.settings().postgresPort() + "/events",
        "postgres",
        "");
  }

  /** The read model's rows of these connections, as they stand, for a ceiling of the same rows. */
  static List<Row> rowsOf(Collection<UUID> connections) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection db = events();
        PreparedStatement select =
            db.prepareStatement(
                "select connection_id, calendar_id, event_id, user_id, title, description,"
                    + " location, start_at, end_at, start_date, end_date, start_time_zone,"
                    + " html_link, source_updated,"
                    + " etag from events where connection_id = any(?)")) {
      select.setArray(1, db.createArrayOf("uuid", connections.toArray()));
      try (ResultSet r = select.executeQuery()) {
        while (r.next()) {
          rows.add(
              new Row(
                  r.getObject("connection_id", UUID.class),
                  r.getObject("calendar_id", UUID.class),
                  r.getString("event_id"),
                  r.getString("user_id"),
                  r.getString("title"),
                  r.getString("description"),
                  r.getString("location"),
                  r.getObject("start_at", OffsetDateTime.class),
                  r.getObject("end_at", OffsetDateTime.class),
                  r.getObject("start_date", LocalDate.class),
                  r.getObject("end_date", LocalDate.class),
                  r.getString("start_time_zone"),
                  r.getString("html_link"),
                  r.getObject("source_updated", OffsetDateTime.class),
                  r.getString("etag")));
        }
      }
    }
    return rows;
  }

  static Rates measure(List<Row> rows) throws SQLException {
    String table = "ceiling_events_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection db = events()) {
      execute(db, "create table " + table + " (like events including all)");
      try {
        long start = System.nanoTime();
        oneByOne(db, table, rows);
        double oneByOne = rows.size() / seconds(System.nanoTime() - start);
        execute(db, "truncate " + table);
        start = System.nanoTime();
        batched(db, table, rows);
        double batched = rows.size() / seconds(System.nanoTime() - start);
        return new Rates(oneByOne, batched);
      } finally {
        execute(db, "drop table " + table);
      }
    }
  }

  private static void oneByOne(Connection db, String table, List<Row> rows) throws SQLException {
    try (PreparedStatement upsert = db.prepareStatement(insert(table, 1))) {
      for (Row row : rows) {
        bind(upsert, 0, row);
        upsert.executeUpdate();
      }
    }
  }

  private static void batched(Connection db, String table, List<Row> rows) throws SQLException {
    for (int from = 0; from < rows.size(); from += BATCH) {
      List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + BATCH));
      try (PreparedStatement upsert = db.prepareStatement(insert(table, chunk.size()))) {
        for (int i = 0; i < chunk.size(); i++) {
          bind(upsert, i * COLUMN_COUNT, chunk.get(i));
        }
        upsert.executeUpdate();
      }
    }
  }

  private static String insert(String table, int rows) {
    String values = "(" + "?, ".repeat(COLUMN_COUNT - 1) + "?)";
    return "insert into "
        + table
        + " ("
        + COLUMNS
        + ") values "
        + String.join(", ", Collections.nCopies(rows, values))
        + UPDATE;
  }

  private static void bind(PreparedStatement s, int offset, Row row) throws SQLException {
    int i = offset;
    s.setObject(++i, row.connectionId());
    s.setObject(++i, row.calendarId());
    s.setString(++i, row.eventId());
    s.setString(++i, row.userId());
    s.setString(++i, "confirmed");
    s.setString(++i, row.title());
    s.setString(++i, row.description());
    s.setString(++i, row.location());
    s.setObject(++i, row.start());
    s.setObject(++i, offsetSeconds(row.start()), Types.INTEGER);
    s.setString(++i, row.timeZone());
    s.setObject(++i, row.end());
    s.setObject(++i, offsetSeconds(row.end()), Types.INTEGER);
    s.setString(++i, row.timeZone());
    s.setObject(++i, row.startDate());
    s.setObject(++i, row.endDate());
    s.setBoolean(++i, row.startDate() != null);
    s.setString(++i, row.htmlLink());
    s.setObject(++i, row.updated());
    s.setString(++i, row.etag());
    s.setLong(++i, 1L);
  }

  private static Integer offsetSeconds(OffsetDateTime at) {
    return at == null ? null : at.getOffset().getTotalSeconds();
  }

  private static void execute(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute(sql);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
