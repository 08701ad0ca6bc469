package io.calsync.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seeds the emulator's demo account the way a person would fill a calendar: the emulator's admin
 * API spreads two weeks of timed, all-day and recurring events, then the Calendar API adds a weekly
 * series with one moved and one cancelled instance, and an all-day event.
 */
final class DemoCalendar {

  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  private final String emulator;
  private final Clock clock;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  DemoCalendar(String emulatorBaseUrl) {
    this(emulatorBaseUrl, Clock.systemUTC());
  }

  DemoCalendar(String emulatorBaseUrl, Clock clock) {
    this.emulator = emulatorBaseUrl;
    this.clock = clock;
  }

  void seed(String email) throws IOException, InterruptedException {
    // A real account's primary calendar has a zone: the demo one is in Berlin, like its events.
    post("/emulator/v1/accounts", null, Map.of("email", email, "time_zone", ZONE.getId()));
    post(
        "/emulator/v1/accounts/" + encode(email) + "/seed",
        null,
        Map.of("calendar_id", "primary", "events", 30, "days", 14));
    String token =
        post("/emulator/v1/accounts/" + encode(email) + "/access-token", null, Map.of())
            .get("access_token")
            .asString();
    String events = "/calendar/v3/calendars/primary/events";

    LocalDate monday =
        LocalDate.now(clock.withZone(ZONE)).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    ZonedDateTime first = ZonedDateTime.of(monday.minusWeeks(1), LocalTime.of(10, 0), ZONE);
    JsonNode series =
        post(
            events,
            token,
            Map.of(
                "summary",
                "Team sync",
                "description",
                "Weekly planning of the calendar team.",
                "location",
                "Room 4.12",
                "start",
                Map.of("dateTime", first.toOffsetDateTime().toString(), "timeZone", ZONE.getId()),
                "end",
                Map.of(
                    "dateTime",
                    first.plusMinutes(30).toOffsetDateTime().toString(),
                    "timeZone",
                    ZONE.getId()),
                "recurrence",
                List.of("RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6")));
    String seriesId = series.get("id").asString();
    JsonNode instances = get(events + "/" + encode(seriesId) + "/instances", token).get("items");
    // The instance of next week moves to Tuesday afternoon; the one after is cancelled.
    JsonNode moved = instances.get(1);
    ZonedDateTime movedStart = ZonedDateTime.of(monday.plusDays(1), LocalTime.of(15, 0), ZONE);
    patch(
        events + "/" + encode(moved.get("id").asString()),
        token,
        Map.of(
            "start",
                Map.of(
                    "dateTime", movedStart.toOffsetDateTime().toString(), "timeZone", ZONE.getId()),
            "end",
                Map.of(
                    "dateTime",
                    movedStart.plusMinutes(30).toOffsetDateTime().toString(),
                    "timeZone",
                    ZONE.getId())));
    delete(events + "/" + encode(instances.get(2).get("id").asString()), token);

    LocalDate offsite = LocalDate.now(clock.withZone(ZONE)).plusDays(3);
    post(
        events,
        token,
        Map.of(
            "summary", "Company offsite",
            "start", Map.of("date", offsite.toString()),
            "end", Map.of("date", offsite.plusDays(1).toString())));
  }

  private JsonNode post(String path, String token, Object body)
      throws IOException, InterruptedException {
    return send(
        request(path, token)
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  private JsonNode patch(String path, String token, Object body)
      throws IOException, InterruptedException {
    return send(
        request(path, token)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
  }

  private JsonNode get(String path, String token) throws IOException, InterruptedException {
    return send(request(path, token).GET());
  }

  private void delete(String path, String token) throws IOException, InterruptedException {
    send(request(path, token).DELETE());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(emulator + path))
            .header("Content-Type", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest built = request.build();
    HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IOException(
          built.method()
              + " "
              + built.uri().getPath()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
