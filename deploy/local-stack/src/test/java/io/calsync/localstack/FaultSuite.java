package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.oracle.Oracle;
import io.calsync.localstack.oracle.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the fault suite's scenarios share: users with connected Google accounts, Google's admin
 * levers at the emulator (faults, request counts, sync-token invalidation, revoked grants), the
 * read model's database, and the oracle whose report each scenario prints and appends to {@link
 * #REPORT}.
 */
final class FaultSuite {

  private static final Logger log = LoggerFactory.getLogger(FaultSuite.class);

  /** One line per scenario run, appended (surefire runs the tests in the module's directory). */
  static final Path REPORT = Path.of("target", "fault-suite-report.txt");

  static final String SYNC_SERVICE = "sync-service";
  static final String QUERY_SERVICE = "events-query-service";

  private FaultSuite() {}

  /** A new user with one connected Google account holding a few events in the next week. */
  static Oracle.Subject newSubject() throws IOException, InterruptedException {
    String user = userToken("faults-" + UUID.randomUUID());
    String account = newAccount();
    String connection = connect(user, account);
    return new Oracle.Subject(user, Map.of(UUID.fromString(connection), account));
  }

  /**
   * A new Google account with the same small calendar every run: two timed events, an all-day one
   * and a daily series, all in the next week, so that a scenario's figures compare across runs.
   */
  static String newAccount() throws IOException, InterruptedException {
    String account = emptyAccount("faults");
    insertEvent(account, "Standup", 20);
    insertEvent(account, "Review", 50);
    LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);
    insert(
        account,
        "{\"summary\":\"Offsite\",\"start\":{\"date\":\""
            + day
            + "\"},\"end\":{\"date\":\""
            + day.plusDays(1)
            + "\"}}");
    insert(
        account,
        "{\"summary\":\"Daily\",\"start\":{\"dateTime\":\""
            + day.minusDays(2)
            + "T09:00:00Z\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
            + day.minusDays(2)
            + "T09:30:00Z\",\"timeZone\":\"UTC\"},\"recurrence\":[\"RRULE:FREQ=DAILY;COUNT=5\"]}");
    return account;
  }

  static UUID connectionOf(Oracle.Subject subject) {
    return subject.googleAccounts().keySet().iterator().next();
  }

  static String accountOf(Oracle.Subject subject) {
    return subject.googleAccounts().values().iterator().next();
  }

  static Oracle oracle() {
    return new Oracle(
        new Oracle.Endpoints(
            settings().gatewayUrl(),
            settings().emulatorUrl(),
            SystemStack.stack().kafkaBootstrapServers(),
            "jdbc:postgresql://localhost:" + settings().postgresPort() + "/events",
            "postgres"));
  }

  /** Waits for the oracle to agree before a fault, so the fault meets incremental syncs. */
  static void settle(List<Oracle.Subject> subjects) {
    Report report = oracle().awaitAgreement(subjects, Duration.ofSeconds(90));
    assertThat(report.agrees()).as("before the fault: %s", report).isTrue();
  }

  /**
   * The scenario's verdict: the oracle's report once it agrees (or its last disagreement after
   * {@code timeout}), printed and appended to {@link #REPORT}, then asserted to hold no mismatch.
   */
  static Report judge(String scenario, List<Oracle.Subject> subjects, Duration timeout) {
    Report report = oracle().awaitAgreement(subjects, timeout);
    record(scenario, report);
    assertThat(report.mismatches()).as("%s: %s", scenario, report).isZero();
    assertThat(report.agrees()).as("%s: %s", scenario, report).isTrue();
    return report;
  }

  static void record(String scenario, Report report) {
    log.info("fault suite, {}: {}", scenario, report);
    append(
        scenario
            + ": "
            + report.compared()
            + " compared, "
            + report.mismatches()
            + " mismatches, "
            + (report.converged() == null
                ? "not converged"
                : "converged in " + report.converged().toMillis() / 1000.0 + " s"));
  }

  /** A remark of a scenario beside its verdict, printed and appended to {@link #REPORT}. */
  static void note(String remark) {
    log.info("fault suite, {}", remark);
    append(remark);
  }

  private static void append(String text) {
    String line =
        Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + text + System.lineSeparator();
    try {
      Files.writeString(REPORT, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Google's levers at the emulator

  static String emulator(String path) {
    return settings().emulatorUrl() + path;
  }

  /** The next {@code times} calls of {@code operation} ({@code *}: any) fail or are slow. */
  static void fault(String operation, int status, int times, long delayMillis)
      throws IOException, InterruptedException {
    HttpResponse<String> added =
        send(
            "POST",
            emulator("/emulator/v1/faults"),
            null,
            "{\"operation\":\""
                + operation
                + "\",\"status\":"
                + status
                + ",\"times\":"
                + times
                + ",\"delay_ms\":"
                + delayMillis
                + "}");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
  }

  static void clearFaults() throws IOException, InterruptedException {
    assertThat(send("DELETE", emulator("/emulator/v1/faults"), null, null).statusCode())
        .isEqualTo(204);
  }

  /** Requests the emulator received for {@code operation} ({@code *}: all), faulted ones too. */
  static long requests(String operation) throws IOException, InterruptedException {
    JsonNode counts = json(get(emulator("/emulator/v1/stats"), null)).path("requests");
    if ("*".equals(operation)) {
      long total = 0;
      for (JsonNode count : counts.values()) {
        total += count.asLong();
      }
      return total;
    }
    return counts.path(operation).asLong(0);
  }

  /** Waits until Google received {@code atLeast} requests of {@code operation} in all. */
  static void awaitRequests(String operation, long atLeast, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> requests(operation) >= atLeast);
  }

  static String googleToken(String account) throws IOException, InterruptedException {
    return json(send(
            "POST", emulator("/emulator/v1/accounts/" + account + "/access-token"), null, "{}"))
        .get("access_token")
        .asString();
  }

  /** Inserts a one-hour event at Google, {@code hoursFromNow} ahead; answers its id. */
  static String insertEvent(String account, String title, long hoursFromNow)
      throws IOException, InterruptedException {
    Instant start =
        Instant.now().plus(hoursFromNow, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);
    return insert(
        account,
        "{\"summary\":\""
            + title
            + "\",\"start\":{\"dateTime\":\""
            + start
            + "\"},\"end\":{\"dateTime\":\""
            + start.plus(1, ChronoUnit.HOURS)
            + "\"}}");
  }

  /** Inserts {@code event} (Calendar API JSON) into the primary calendar; answers its id. */
  static String insert(String account, String event) throws IOException, InterruptedException {
    HttpResponse<String> inserted =
        send(
            "POST", emulator("/calendar/v3/calendars/primary/events"), googleToken(account), event);
    assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(200);
    return json(inserted).get("id").asString();
  }

  static void deleteEvent(String account, String eventId) throws IOException, InterruptedException {
    assertThat(
            send(
                    "DELETE",
                    emulator("/calendar/v3/calendars/primary/events/" + eventId),
                    googleToken(account),
                    null)
                .statusCode())
        .isEqualTo(204);
  }

  /** Ids of the primary calendar's first events as Google lists them (no series expanded). */
  static List<String> eventIds(String account, int count) throws IOException, InterruptedException {
    JsonNode items =
        json(get(
                emulator("/calendar/v3/calendars/primary/events?maxResults=" + count),
                googleToken(account)))
            .path("items");
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.get("id").asString()));
    return ids;
  }

  /** A new emulator account {@code <prefix>-<8 hex>@example.com} with an empty primary calendar. */
  static String emptyAccount(String prefix) throws IOException, InterruptedException {
    String account = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    assertThat(
            send("POST", emulator("/emulator/v1/accounts"), null, "{\"email\":\"" + account + "\"}")
                .statusCode())
        .isIn(200, 201);
    return account;
  }

  /** A new emulator account seeded with {@code events} over the next {@code days} days. */
  static String seededAccount(String prefix, int events, int days)
      throws IOException, InterruptedException {
    String account = emptyAccount(prefix);
    seed(account, events, days);
    return account;
  }

  static void seed(String account, int events, int days) throws IOException, InterruptedException {
    HttpResponse<String> seeded =
        send(
            "POST",
            emulator("/emulator/v1/accounts/" + account + "/seed"),
            null,
            "{\"events\":" + events + ",\"days\":" + days + "}");
    assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(201);
  }

  /** The connection's state in {@code GET /api/calendar/sync/status/}. */
  static String syncState(Oracle.Subject subject, UUID connection)
      throws IOException, InterruptedException {
    for (JsonNode c :
        json(get(gateway("/api/calendar/sync/status/"), subject.userToken())).path("connections")) {
      if (connection.toString().equals(c.path("connection_id").asString())) {
        return c.path("state").asString();
      }
    }
    return null;
  }

  /** The read model's database, as the oracle reads it. */
  /**
   * The sync-service instance holding each of the given connections' live leases, by the name the
   * local stack gives it ({@code sync-service}, {@code sync-service-2}): the first part of the
   * lease's owner. Read from sync-service's database, as an operator would.
   */
  static Map<UUID, String> leaseHolders(Collection<UUID> connections) throws SQLException {
    Map<UUID, String> holders = new HashMap<>();
    try (var db =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + settings().postgresPort() + "/sync",
                "postgres",
                "");
        var select =
            db.prepareStatement(
                "select connection_id, split_part(owner, '/', 1) from sync_leases"
                    + " where expires_at > clock_timestamp()")) {
      try (var rows = select.executeQuery()) {
        while (rows.next()) {
          UUID connection = rows.getObject(1, UUID.class);
          if (connections.contains(connection)) {
            holders.put(connection, rows.getString(2));
          }
        }
      }
    }
    return holders;
  }

  static java.sql.Connection readModel() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + settings().postgresPort() + "/events", "postgres", "");
  }

  /** The highest generation of the connection's rows in the read model (0 when none). */
  static long generation(UUID connection) throws SQLException {
    try (var db = readModel();
        var select =
            db.prepareStatement(
                "select coalesce(max(generation), 0) from events where connection_id = ?")) {
      select.setObject(1, connection);
      try (var row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** The connection's live rows in the read model. */
  static long rows(UUID connection) throws SQLException {
    try (var db = readModel();
        var select =
            db.prepareStatement(
                "select count(*) from events where connection_id = ? and not deleted")) {
      select.setObject(1, connection);
      try (var row = select.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }
}
