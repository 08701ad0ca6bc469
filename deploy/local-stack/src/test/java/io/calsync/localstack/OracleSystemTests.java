package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.localstack.oracle.Oracle;
import io.calsync.localstack.oracle.Report;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracle of the fault suite, on the healthy stack: two users whose calendars hold timed,
 * all-day and recurring events, a moved and a cancelled instance and a deleted event agree with
 * Google and with a downstream consumer of the change log; and a row the read model should not
 * have, or lacks, is reported.
 */
@Order(40)
@ExtendWith(SystemStack.class)
class OracleSystemTests {

  private static final Logger log = LoggerFactory.getLogger(OracleSystemTests.class);

  @Test
  void theHealthyPlatformAgreesWithGoogleAndWithTheChangeLog() throws Exception {
    List<Oracle.Subject> subjects = List.of(subject(), subject());

    Report report = oracle().awaitAgreement(subjects, Duration.ofSeconds(60));

    log.info("{}", report);
    assertThat(report.agrees()).as("%s", report).isTrue();
    // two users, one account each, with their calendars and more than five events each
    assertThat(report.comparisons())
        .allSatisfy(
            c ->
                assertThat(c.compared())
                    .as(c.name())
                    .isGreaterThan(c.name().equals("google calendars vs change log") ? 1 : 5));
  }

  @Test
  void aGhostRowAndALostRowInTheReadModelAreReported() throws Exception {
    Oracle.Subject subject = subject();
    UUID connection = subject.googleAccounts().keySet().iterator().next();
    Oracle oracle = oracle();
    assertThat(oracle.awaitAgreement(List.of(subject), Duration.ofSeconds(60)).agrees()).isTrue();

    String ghost = "ghost" + UUID.randomUUID().toString().replace("-", "");
    Instant start = Instant.now().plus(2, ChronoUnit.HOURS);
    String lost;
    try (var db = readModel()) {
      try (var lose = db.createStatement()) {
        var row =
            lose.executeQuery(
                "delete from events where ctid = (select ctid from events where connection_id = '"
                    + connection
                    + "' and not deleted limit 1) returning event_id");
        row.next();
        lost = row.getString(1);
      }
      try (var insert =
          db.prepareStatement(
              "insert into events (connection_id, calendar_id, event_id, user_id, status, title,"
                  + " start_at, start_offset_seconds, end_at, end_offset_seconds, source_updated,"
                  + " etag, generation)"
                  + " select connection_id, calendar_id, ?, user_id, 'confirmed', 'Ghost', ?, 0,"
                  + " ?, 0, now(), 'ghost', 1 from calendars where connection_id = ? limit 1")) {
        insert.setString(1, ghost);
        insert.setObject(2, start.atOffset(ZoneOffset.UTC));
        insert.setObject(3, start.plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
        insert.setObject(4, connection);
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      // and its occurrence, which the upcoming list reads (events-query-service V4)
      try (var insert =
          db.prepareStatement(
              "insert into occurrences (connection_id, calendar_id, group_id, id, event_id,"
                  + " user_id, all_day, start_key, end_key, end_at, source_generation)"
                  + " select connection_id, calendar_id, ?, ?, ?, user_id, false, ?, ?, ?, 1"
                  + " from calendars where connection_id = ? limit 1")) {
        insert.setString(1, ghost);
        insert.setString(2, ghost);
        insert.setString(3, ghost);
        insert.setObject(4, start.atOffset(ZoneOffset.UTC));
        insert.setObject(5, start.plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
        insert.setObject(6, start.plus(1, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC));
        insert.setObject(7, connection);
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
    }

    Report report = oracle.check(List.of(subject));

    log.info("{}", report);
    assertThat(report.agrees()).isFalse();
    assertThat(mismatches(report, "change log vs read model"))
        .contains("unexpected " + connection)
        .contains(ghost)
        .contains("missing " + connection)
        .contains(lost);
    assertThat(mismatches(report, "google vs upcoming"))
        .contains("unexpected " + connection)
        .contains(ghost);
  }

  @Test
  void aConnectionWhoseCalendarsWereNeverAnnouncedIsReported() throws Exception {
    // a Google account with events, under a connection id the platform never synced: nothing of
    // it is on the change log or in the read model, which must not count as agreement
    String account = newGoogleAccount();
    UUID neverSynced = UUID.randomUUID();
    Oracle.Subject subject =
        new Oracle.Subject(userToken("oracle-" + UUID.randomUUID()), Map.of(neverSynced, account));

    Report report = oracle().check(List.of(subject));

    log.info("{}", report);
    assertThat(report.agrees()).isFalse();
    assertThat(mismatches(report, "google calendars vs change log"))
        .contains("missing " + neverSynced + "/" + account);
  }

  private static String mismatches(Report report, String comparison) {
    return report.comparisons().stream()
        .filter(c -> c.name().equals(comparison))
        .findFirst()
        .orElseThrow()
        .mismatches()
        .stream()
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private static Oracle oracle() {
    return new Oracle(
        new Oracle.Endpoints(
            settings().gatewayUrl(),
            settings().emulatorUrl(),
            SystemStack.stack().kafkaBootstrapServers(),
            "jdbc:postgresql://localhost:" + settings().postgresPort() + "/events",
            "postgres"));
  }

  private static java.sql.Connection readModel() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + settings().postgresPort() + "/events", "postgres", "");
  }

  /** A new user with one connected account: seeded events plus a series with exceptions. */
  private static Oracle.Subject subject() throws Exception {
    String user = userToken("oracle-" + UUID.randomUUID());
    String account = newGoogleAccount();
    String token = googleAccessToken(account);
    LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    String series =
        json(insert(
                token,
                "{\"summary\":\"Daily\",\"start\":{\"dateTime\":\""
                    + tomorrow
                    + "T09:00:00Z\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                    + tomorrow
                    + "T09:30:00Z\",\"timeZone\":\"UTC\"},\"recurrence\":[\"RRULE:FREQ=DAILY;COUNT=6\"]}"))
            .get("id")
            .asString();
    String second = series + "_" + tomorrow.plusDays(1).toString().replace("-", "") + "T090000Z";
    String third = series + "_" + tomorrow.plusDays(2).toString().replace("-", "") + "T090000Z";
    assertThat(
            send(
                    "PATCH",
                    events() + "/" + second,
                    token,
                    "{\"summary\":\"Daily (moved)\",\"start\":{\"dateTime\":\""
                        + tomorrow.plusDays(1)
                        + "T11:00:00Z\"},\"end\":{\"dateTime\":\""
                        + tomorrow.plusDays(1)
                        + "T11:30:00Z\"}}")
                .statusCode())
        .isEqualTo(200);
    assertThat(send("DELETE", events() + "/" + third, token, null).statusCode()).isEqualTo(204);
    insert(
        token,
        "{\"summary\":\"Offsite\",\"start\":{\"date\":\""
            + tomorrow.plusDays(3)
            + "\"},\"end\":{\"date\":\""
            + tomorrow.plusDays(5)
            + "\"}}");
    String doomed =
        json(insert(
                token,
                "{\"summary\":\"Doomed\",\"start\":{\"dateTime\":\""
                    + tomorrow
                    + "T15:00:00Z\"},\"end\":{\"dateTime\":\""
                    + tomorrow
                    + "T16:00:00Z\"}}"))
            .get("id")
            .asString();
    String connection = connect(user, account);
    assertThat(send("DELETE", events() + "/" + doomed, token, null).statusCode()).isEqualTo(204);
    return new Oracle.Subject(user, Map.of(UUID.fromString(connection), account));
  }

  private static String events() {
    return settings().emulatorUrl() + "/calendar/v3/calendars/primary/events";
  }

  private static HttpResponse<String> insert(String token, String event)
      throws IOException, InterruptedException {
    HttpResponse<String> inserted = send("POST", events(), token, event);
    assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(200);
    return inserted;
  }

  private static String googleAccessToken(String account) throws IOException, InterruptedException {
    return json(send(
            "POST",
            settings().emulatorUrl()
                + "/emulator/v1/accounts/"
                + URLEncoder.encode(account, StandardCharsets.UTF_8)
                + "/access-token",
            null,
            "{}"))
        .get("access_token")
        .asString();
  }
}
