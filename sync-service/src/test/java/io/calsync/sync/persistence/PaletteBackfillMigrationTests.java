package io.calsync.sync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sync.model.CalendarPalette;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * V15 on a database that already has calendars: each user's colourless calendars take the palette
 * in turn, oldest first, so they differ; a calendar with Google's colour or the user's keeps none.
 */
class PaletteBackfillMigrationTests {

  static EmbeddedPostgres postgres;
  static DataSource database;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database backfill");
    }
    database = postgres.getDatabase("postgres", "backfill");
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void colourlessCalendarsSeenBeforeTakeThePaletteInTurnPerUserOldestFirst() throws SQLException {
    flyway("14").migrate();
    UUID alice = connection("alice");
    UUID bob = connection("bob");
    OffsetDateTime t = OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    UUID aliceSecond = calendar(alice, t.plusDays(2), null, null);
    UUID aliceFirst = calendar(alice, t.plusDays(1), null, null);
    UUID aliceGoogleColoured = calendar(alice, t, "#9fe1e7", null);
    UUID aliceUserColoured = calendar(alice, t, null, "#123456");
    UUID aliceThird = calendar(alice, t.plusDays(3), null, null);
    UUID bobOnly = calendar(bob, t.plusDays(5), null, null);

    flyway(null).migrate();

    Map<UUID, String> palette = paletteColours();
    assertThat(palette.get(aliceFirst)).isEqualTo(CalendarPalette.COLORS.get(0));
    assertThat(palette.get(aliceSecond)).isEqualTo(CalendarPalette.COLORS.get(1));
    assertThat(palette.get(aliceThird)).isEqualTo(CalendarPalette.COLORS.get(2));
    assertThat(palette.get(bobOnly)).isEqualTo(CalendarPalette.COLORS.get(0));
    assertThat(palette.get(aliceGoogleColoured)).isNull();
    assertThat(palette.get(aliceUserColoured)).isNull();
  }

  private static Flyway flyway(String target) {
    var configuration = Flyway.configure().dataSource(database).locations("classpath:db/migration");
    if (target != null) {
      configuration.target(target);
    }
    return configuration.load();
  }

  private static UUID connection(String user) throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into connections (id, user_id, status, created_at, updated_at)"
                    + " values (?, ?, 'active', now(), now())")) {
      s.setObject(1, id);
      s.setString(2, user);
      s.executeUpdate();
    }
    return id;
  }

  private static UUID calendar(
      UUID connection, OffsetDateTime created, String googleColour, String userColour)
      throws SQLException {
    UUID id = UUID.randomUUID();
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "insert into calendars (id, connection_id, provider_calendar_id, color,"
                    + " user_color, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")) {
      s.setObject(1, id);
      s.setObject(2, connection);
      s.setString(3, "cal-" + id);
      s.setString(4, googleColour);
      s.setString(5, userColour);
      s.setObject(6, created);
      s.setObject(7, created);
      s.executeUpdate();
    }
    return id;
  }

  private static Map<UUID, String> paletteColours() throws SQLException {
    Map<UUID, String> colours = new HashMap<>();
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("select id, palette_color from calendars")) {
      while (rows.next()) {
        colours.put(rows.getObject(1, UUID.class), rows.getString(2));
      }
    }
    return colours;
  }
}
