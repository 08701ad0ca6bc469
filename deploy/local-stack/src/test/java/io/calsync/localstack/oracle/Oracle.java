package io.calsync.localstack.oracle;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.UpcomingEvent;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.contract.json.CalendarJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges the platform against the truth, for a set of users and their Google accounts:
 *
 * <ol>
 *   <li><b>Google vs upcoming</b>: the instances the emulator's Calendar API lists for each
 *       selected calendar ({@code singleEvents=true}, Google's own expansion of series and
 *       exceptions) in the window {@code GET /api/calendar/events/upcoming/} answered for, against
 *       that answer: same ids, titles, starts, ends and statuses, in its order and cut at its
 *       limit;
 *   <li><b>change log vs read model</b>: a downstream consumer's state rebuilt from {@code
 *       calendar.event-changes.v1} ({@link ChangeLogReplica}) against the read model's rows: the
 *       same live events, with the same {@code updated} and {@code etag}.
 * </ol>
 *
 * Nothing here knows the platform's internals beyond its public contract and the read model's
 * table, which the oracle reads to see every event rather than an upcoming window.
 */
public final class Oracle {

  /**
   * A user, as the gateway knows them, the Google account behind each of their active connections,
   * and their connections that are {@code reauth_required}. The upcoming list must show none of the
   * latter's events (the user is asked to reconnect; Google is not compared for them), while the
   * read model must still hold what the change log says was synced for them.
   */
  public record Subject(
      String userToken, Map<UUID, String> googleAccounts, Set<UUID> reauthRequired) {

    public Subject(String userToken, Map<UUID, String> googleAccounts) {
      this(userToken, googleAccounts, Set.of());
    }
  }

  /** Where the running platform is. */
  public record Endpoints(
      String gatewayUrl,
      String emulatorUrl,
      String kafkaBootstrapServers,
      String readModelJdbcUrl,
      String databaseUser) {}

  private static final int DAYS = 14;
  private static final int LIMIT = 100;

  private final Endpoints endpoints;
  private final GoogleTruth google;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = CalendarJson.mapper();

  public Oracle(Endpoints endpoints) {
    this.endpoints = endpoints;
    this.google = new GoogleTruth(endpoints.emulatorUrl());
  }

  /**
   * Checks until the platform agrees or {@code timeout} passes; the report says how long it took,
   * or holds the last disagreement.
   */
  public Report awaitAgreement(List<Subject> subjects, Duration timeout) {
    Instant started = Instant.now();
    AtomicReference<Report> last = new AtomicReference<>();
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                last.set(check(subjects));
                return last.get().agrees();
              });
      return last.get().convergedAfter(Duration.between(started, Instant.now()));
    } catch (ConditionTimeoutException e) {
      return last.get() != null ? last.get() : check(subjects);
    }
  }

  /** One check, now. */
  public Report check(List<Subject> subjects) {
    try {
      Set<UUID> connections = new HashSet<>();
      subjects.forEach(
          s -> {
            connections.addAll(s.googleAccounts().keySet());
            connections.addAll(s.reauthRequired());
          });
      ChangeLogReplica replica =
          ChangeLogReplica.read(endpoints.kafkaBootstrapServers(), connections);
      Map<String, String> expected = new LinkedHashMap<>();
      Map<String, String> actual = new LinkedHashMap<>();
      for (Subject subject : subjects) {
        upcoming(subject, replica, expected, actual);
      }
      return new Report(
          List.of(
              Comparison.of(
                  "google calendars vs change log",
                  googleCalendars(subjects),
                  known(replica, subjects)),
              Comparison.of("google vs upcoming", expected, actual),
              Comparison.of(
                  "change log vs read model",
                  describe(replica.liveEvents()),
                  readModel(connections))),
          null);
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("the oracle could not read the platform", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private record Instance(String key, Instant order, String id, String value) {}

  /**
   * Every calendar Google lists for the subjects' accounts, keyed {@code connection/calendar}: a
   * connection whose calendars were never announced would otherwise agree with nothing.
   */
  private Map<String, String> googleCalendars(List<Subject> subjects)
      throws IOException, InterruptedException {
    Map<String, String> listed = new LinkedHashMap<>();
    for (Subject subject : subjects) {
      for (Map.Entry<UUID, String> account : subject.googleAccounts().entrySet()) {
        for (String calendar : google.calendars(account.getValue())) {
          listed.put(account.getKey() + "/" + calendar, "listed");
        }
      }
    }
    return listed;
  }

  /**
   * The calendars the change log announced and did not remove, keyed as above, of the connections
   * compared with Google (not those awaiting reauthorization).
   */
  private static Map<String, String> known(ChangeLogReplica replica, List<Subject> subjects) {
    Set<UUID> compared = new HashSet<>();
    subjects.forEach(s -> compared.addAll(s.googleAccounts().keySet()));
    Map<String, String> known = new LinkedHashMap<>();
    replica.calendars().values().stream()
        .filter(c -> compared.contains(c.connectionId()))
        .forEach(c -> known.put(c.connectionId() + "/" + c.providerId(), "listed"));
    return known;
  }

  private void upcoming(
      Subject subject,
      ChangeLogReplica replica,
      Map<String, String> expected,
      Map<String, String> actual)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        endpoints.gatewayUrl()
                            + ApiPaths.UPCOMING_EVENTS
                            + "?tz=UTC&days="
                            + DAYS
                            + "&limit="
                            + LIMIT))
                .header("Authorization", "Bearer " + subject.userToken())
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("upcoming answered " + response.statusCode());
    }
    UpcomingEventsResponse answer = json.readValue(response.body(), UpcomingEventsResponse.class);
    Map<UUID, ChangeLogReplica.Calendar> calendars = replica.calendars();
    for (UpcomingEvent e : answer.events()) {
      ChangeLogReplica.Calendar calendar = calendars.get(e.calendarId());
      String calendarKey =
          calendar == null ? "unknown calendar " + e.calendarId() : calendar.providerId();
      actual.put(
          e.connectionId() + "/" + calendarKey + "/" + e.id(),
          value(e.title(), time(e.start(), e.allDay()), time(e.end(), e.allDay()), e.status()));
    }
    OffsetDateTime from = answer.window().from();
    OffsetDateTime to = answer.window().to();
    List<Instance> instances = new ArrayList<>();
    for (ChangeLogReplica.Calendar calendar : calendars.values()) {
      String account = subject.googleAccounts().get(calendar.connectionId());
      if (account == null || !calendar.selected()) {
        continue;
      }
      for (JsonNode item : google.instances(account, calendar.providerId(), from, to)) {
        if ("cancelled".equals(item.path("status").asString())) {
          continue;
        }
        boolean allDay = item.path("start").has("date");
        String start = googleTime(item.path("start"));
        String end = googleTime(item.path("end"));
        Instant order =
            allDay
                ? LocalDate.parse(start).atStartOfDay(ZoneOffset.UTC).toInstant()
                : Instant.parse(start);
        String id = item.path("id").asString();
        instances.add(
            new Instance(
                calendar.connectionId() + "/" + calendar.providerId() + "/" + id,
                order,
                id,
                value(
                    item.path("summary").isMissingNode() ? null : item.path("summary").asString(),
                    start,
                    end,
                    item.path("status").asString("confirmed"))));
      }
    }
    instances.stream()
        .sorted(Comparator.comparing(Instance::order).thenComparing(Instance::id))
        .limit(LIMIT)
        .forEach(i -> expected.put(i.key(), i.value()));
  }

  private static String value(String title, String start, String end, String status) {
    return "'" + title + "' " + start + " → " + end + " " + status;
  }

  /** A date as it is, a date-time as the instant it names. */
  private static String time(String text, boolean allDay) {
    return allDay ? text : OffsetDateTime.parse(text).toInstant().toString();
  }

  private static String googleTime(JsonNode time) {
    return time.has("date")
        ? time.get("date").asString()
        : OffsetDateTime.parse(time.get("dateTime").asString()).toInstant().toString();
  }

  private static Map<String, String> describe(Map<String, ChangeLogReplica.Held> events) {
    Map<String, String> described = new HashMap<>();
    events.forEach((key, h) -> described.put(key, describe(h.updated(), h.event().etag())));
    return described;
  }

  private static String describe(Instant updated, String etag) {
    return "updated " + updated + " etag " + etag;
  }

  private Map<String, String> readModel(Set<UUID> connections) throws SQLException {
    Map<String, String> rows = new HashMap<>();
    try (Connection db =
            DriverManager.getConnection(
                endpoints.readModelJdbcUrl(), endpoints.databaseUser(), "");
        PreparedStatement select =
            db.prepareStatement(
                "select connection_id, calendar_id, event_id, source_updated, etag from events"
                    + " where not deleted and connection_id = any (?)")) {
      select.setArray(1, db.createArrayOf("uuid", connections.toArray()));
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          rows.put(
              row.getObject(1) + "/" + row.getObject(2) + "/" + row.getString(3),
              describe(row.getObject(4, OffsetDateTime.class).toInstant(), row.getString(5)));
        }
      }
    }
    return rows;
  }
}
