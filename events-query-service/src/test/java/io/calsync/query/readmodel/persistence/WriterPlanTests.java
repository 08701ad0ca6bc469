package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.query.config.PlannerSettings;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestInfrastructure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;

/**
 * Decision 9: every connection of the service plans with {@link PlannerSettings}, and every look-up
 * of a batch's keys is one index probe per key, also when the table's statistics lag its growth
 * (left to its estimates, PostgreSQL hashed the whole {@code events} table for every batch, and on
 * a freshly created database it scanned a new calendar's rows once per key).
 */
@QueryServiceTest
class WriterPlanTests {

  private static final int ROWS = 30_000;
  private static final Pattern PARAMETER = Pattern.compile("(?<!:):(\\w+)");

  @Autowired DatabaseClient db;
  @Autowired ConnectionRows connections;
  @Autowired ReactiveTransactionManager transactions;

  @Test
  void everyConnectionOfTheServicePlansForLookUpsByKey() {
    String settings =
        db.sql(
                "select current_setting('enable_seqscan') || current_setting('enable_bitmapscan')"
                    + " || current_setting('enable_sort') || current_setting('enable_hashjoin')"
                    + " || current_setting('enable_mergejoin')")
            .map(row -> row.get(0, String.class))
            .one()
            .block();

    assertThat(settings).isEqualTo("off".repeat(5));
  }

  /**
   * A database of its own, holding 30,000 events and occurrences of one calendar, whose statistics
   * say a couple of rows: the batch's look-ups and deletes still probe the primary key once per
   * key.
   */
  @Test
  void aBatchsKeysAreProbedByIndexAlsoWhenStatisticsLagTheTable() throws SQLException {
    String name = "plans_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = TestInfrastructure.dataSource("postgres").getConnection();
        Statement s = admin.createStatement()) {
      s.execute("create database " + name);
    }
    try {
      DataSource database = TestInfrastructure.dataSource(name);
      Flyway.configure().dataSource(database).load().migrate();
      UUID connection = UUID.randomUUID();
      UUID calendar = UUID.randomUUID();
      List<String> batch =
          IntStream.rangeClosed(1, 500)
              .mapToObj(i -> "plan-" + i * 37)
              .collect(Collectors.toList());
      try (Connection c = database.getConnection();
          Statement s = c.createStatement()) {
        s.execute(insertRows(connection, calendar, 1, ROWS));
        // Statistics that lag the tables' growth: they say a couple of rows, as the writer saw
        // them while a new database filled between two of autovacuum's analyses.
        s.execute("analyze");
        s.execute(
            "update pg_class set reltuples = 2 where oid in ('events'::regclass,"
                + " 'occurrences'::regclass)");
        for (var setting : PlannerSettings.SETTINGS.entrySet()) {
          s.execute("set " + setting.getKey() + " = " + setting.getValue());
        }

        String sources =
            explain(
                s,
                Occurrences.SOURCES,
                "c",
                array(batch.size(), i -> connection.toString(), "uuid"),
                "cal",
                array(batch.size(), i -> calendar.toString(), "uuid"),
                "grp",
                array(batch.size(), batch::get, "text"));
        String find =
            explain(
                s,
                EventRows.FIND,
                "keys",
                "'"
                    + batch.stream()
                        .map(
                            id ->
                                "{\"connection_id\":\"%s\",\"calendar_id\":\"%s\",\"event_id\":\"%s\"}"
                                    .formatted(connection, calendar, id))
                        .collect(Collectors.joining(",", "[", "]"))
                    + "'");
        String delete =
            explain(
                s,
                Occurrences.deleteOfGroups("occurrences", "group_id"),
                "c",
                array(batch.size(), i -> connection.toString(), "uuid"),
                "cal",
                array(batch.size(), i -> calendar.toString(), "uuid"),
                "grp",
                array(batch.size(), batch::get, "text"));

        for (String plan : List.of(sources, find, delete)) {
          assertThat(plan)
              .doesNotContain("Seq Scan", "Join Filter", "Hash", "Merge Join", "Materialize");
        }
        // one probe per key: the index condition takes the key's values
        assertThat(sources)
            .contains("events_pkey", "(event_id = g.grp)")
            .contains("events_exceptions_idx", "(recurring_event_id = g_1.grp)");
        assertThat(find).contains("events_pkey", "(event_id = k.event_id)");
        assertThat(delete).contains("occurrences_pkey", "(group_id = k.grp)", "Tid Scan");
      }
    } finally {
      try (Connection admin = TestInfrastructure.dataSource("postgres").getConnection();
          Statement s = admin.createStatement()) {
        s.execute("drop database " + name + " with (force)");
      }
    }
  }

  private static String insertRows(UUID connection, UUID calendar, int from, int to) {
    return """
        insert into events (connection_id, calendar_id, event_id, user_id, status, title,
                            start_at, end_at, source_updated)
        select '%1$s', '%2$s', 'plan-' || i, 'plan-user', 'confirmed', 'Event ' || i,
               now() + i * interval '1 hour', now() + i * interval '1 hour' + interval '30 minutes',
               now()
          from generate_series(%3$d, %4$d) as i;
        insert into occurrences (connection_id, calendar_id, group_id, id, event_id, user_id,
                                 all_day, start_key, end_key, source_generation)
        select connection_id, calendar_id, event_id, event_id, event_id, user_id, false,
               start_at, end_at, 0
          from events
         where event_id in (select 'plan-' || i from generate_series(%3$d, %4$d) as i)
        """
        .formatted(connection, calendar, from, to);
  }

  /** The plan of {@code sql} with its named parameters replaced by the given literals. */
  private static String explain(Statement s, String sql, String... namesAndLiterals)
      throws SQLException {
    java.util.Map<String, String> literals = new java.util.HashMap<>();
    for (int i = 0; i < namesAndLiterals.length; i += 2) {
      literals.put(namesAndLiterals[i], namesAndLiterals[i + 1]);
    }
    Matcher m = PARAMETER.matcher(sql);
    StringBuilder text = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(text, Matcher.quoteReplacement(literals.get(m.group(1))));
    }
    m.appendTail(text);
    List<String> lines = new ArrayList<>();
    try (ResultSet rows = s.executeQuery("explain " + text)) {
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    return String.join("\n", lines);
  }

  private static String array(int size, IntFunction<String> element, String type) {
    return IntStream.range(0, size)
        .mapToObj(element)
        .collect(Collectors.joining(",", "'{", "}'::" + type + "[]"));
  }
}
