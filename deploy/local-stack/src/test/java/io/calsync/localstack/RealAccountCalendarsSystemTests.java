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

import io.calsync.contract.http.ApiPaths;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue 9: what a real Google account brings, through the gateway. An account whose primary
 * calendar is in America/Los_Angeles, holding a weekly series that started in 2020; subscribed to a
 * holiday calendar in Europe/Berlin (reader, refuses {@code events.watch}) with an all-day holiday,
 * and to a colleague's calendar it may only see as free/busy. The upcoming list shows the holiday
 * on its date, the colleague's meeting as "busy" without its title, and the series' instances of
 * this and next week; sync status shows every calendar healthy, the holiday one without push.
 */
@Order(25)
@ExtendWith(SystemStack.class)
class RealAccountCalendarsSystemTests {

  private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  private static final DateTimeFormatter INSTANCE_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  @Test
  void holidaysFreeBusyCalendarsAndOldSeriesShowCorrectlyAndEveryCalendarIsHealthy()
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String account = "la-" + suffix + "@example.com";
    String holidays = "holidays-" + suffix + "@example.com";
    String colleague = "colleague-" + suffix + "@example.com";
    createAccount(account, "America/Los_Angeles");
    createAccount(holidays, "Europe/Berlin");
    createAccount(colleague, "America/Los_Angeles");

    LocalDate today = LocalDate.now(LA);
    LocalDate holiday = today.plusDays(2);
    String holidayTitle = "Holiday " + suffix;
    insert(
        holidays,
        "{\"summary\":\"%s\",\"start\":{\"date\":\"%s\"},\"end\":{\"date\":\"%s\"}}"
            .formatted(holidayTitle, holiday, holiday.plusDays(1)));
    ZonedDateTime meeting = today.plusDays(1).atTime(LocalTime.of(11, 0)).atZone(LA);
    String secret = "Secret 1:1 " + suffix;
    insert(
        colleague,
        ("{\"summary\":\"%s\",\"description\":\"confidential\",\"start\":{\"dateTime\":\"%s\"},"
                + "\"end\":{\"dateTime\":\"%s\"}}")
            .formatted(
                secret, meeting.toOffsetDateTime(), meeting.plusHours(1).toOffsetDateTime()));
    String series =
        id(
            insert(
                account,
                ("{\"summary\":\"Weekly %s\",\"start\":{\"dateTime\":\"2020-01-06T09:00:00-08:00\","
                        + "\"timeZone\":\"America/Los_Angeles\"},\"end\":{\"dateTime\":"
                        + "\"2020-01-06T09:30:00-08:00\",\"timeZone\":\"America/Los_Angeles\"},"
                        + "\"recurrence\":[\"RRULE:FREQ=WEEKLY;BYDAY=MO\"]}")
                    .formatted(suffix)));
    subscribe(account, holidays, "reader", true);
    subscribe(account, colleague, "freeBusyReader", false);

    String user = userToken("real-account-" + suffix);
    connect(user, account);

    // the next two Mondays at 09:00 in Los Angeles lie within 14 days
    List<String> mondays = new ArrayList<>();
    ZonedDateTime now = ZonedDateTime.now(LA);
    ZonedDateTime monday =
        now.toLocalDate()
            .with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY))
            .atTime(9, 0)
            .atZone(LA);
    if (!monday.plusMinutes(30).isAfter(now)) {
      monday = monday.plusWeeks(1);
    }
    for (int i = 0; i < 2; i++) {
      mondays.add(
          series
              + "_"
              + INSTANCE_ID.format(monday.plusWeeks(i).withZoneSameInstant(ZoneOffset.UTC)));
    }

    String query = ApiPaths.UPCOMING_EVENTS + "?days=14&limit=100&tz=America/Los_Angeles";
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              List<String> ids = ids(json(get(gateway(query), user)).get("events"));
              return ids.containsAll(mondays)
                  && ids.stream().anyMatch(i -> !i.startsWith(series))
                  && ids.size() >= mondays.size() + 2;
            });

    HttpResponse<String> answer = get(gateway(query), user);
    assertThat(answer.body()).doesNotContain(secret).doesNotContain("confidential");
    JsonNode events = json(answer).get("events");

    JsonNode holidayEvent = find(events, holidayTitle);
    assertThat(holidayEvent.get("all_day").asBoolean()).isTrue();
    assertThat(holidayEvent.get("start").asString()).isEqualTo(holiday.toString());
    assertThat(holidayEvent.get("end").asString()).isEqualTo(holiday.plusDays(1).toString());

    JsonNode busy = find(events, "busy");
    assertThat(busy.get("free_busy_only").asBoolean()).isTrue();
    assertThat(busy.get("description").isNull()).isTrue();
    assertThat(busy.get("start").asString()).isEqualTo(RFC3339.format(meeting));

    for (String instance : mondays) {
      JsonNode e = byId(events, instance);
      assertThat(e.get("recurring_event_id").asString()).isEqualTo(series);
      assertThat(e.get("start").asString()).contains("T09:00:00");
    }

    // every calendar healthy; the holiday one says Google will not push it
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> pushes(user).equals(List.of("active", "active", "unsupported")));
    JsonNode connection = json(get(gateway(ApiPaths.SYNC_STATUS), user)).get("connections").get(0);
    assertThat(connection.get("state").asString()).isIn("idle", "queued", "syncing");
    assertThat(connection.get("last_error").isNull()).isTrue();
    for (JsonNode calendar : connection.get("calendars")) {
      assertThat(calendar.get("state").asString()).isIn("idle", "syncing");
    }
  }

  private static List<String> pushes(String user) throws IOException, InterruptedException {
    HttpResponse<String> status = get(gateway(ApiPaths.SYNC_STATUS), user);
    List<String> pushes = new ArrayList<>();
    for (JsonNode calendar : json(status).get("connections").get(0).get("calendars")) {
      pushes.add(calendar.get("push").asString());
    }
    pushes.sort(null);
    return pushes;
  }

  private static List<String> ids(JsonNode events) {
    List<String> ids = new ArrayList<>();
    events.forEach(e -> ids.add(e.get("id").asString()));
    return ids;
  }

  private static JsonNode find(JsonNode events, String title) {
    for (JsonNode e : events) {
      if (e.path("title").isString() && title.equals(e.get("title").asString())) {
        return e;
      }
    }
    throw new AssertionError("no event titled " + title + " in " + events);
  }

  private static JsonNode byId(JsonNode events, String id) {
    for (JsonNode e : events) {
      if (id.equals(e.get("id").asString())) {
        return e;
      }
    }
    throw new AssertionError("no event " + id + " in " + events);
  }

  private static void createAccount(String email, String zone)
      throws IOException, InterruptedException {
    assertThat(
            send(
                    "POST",
                    settings().emulatorUrl() + "/emulator/v1/accounts",
                    null,
                    "{\"email\":\"%s\",\"time_zone\":\"%s\"}".formatted(email, zone))
                .statusCode())
        .isIn(200, 201);
  }

  private static void subscribe(String email, String calendarId, String role, boolean refusesPush)
      throws IOException, InterruptedException {
    assertThat(
            send(
                    "POST",
                    settings().emulatorUrl() + "/emulator/v1/accounts/" + email + "/subscriptions",
                    null,
                    "{\"calendar_id\":\"%s\",\"access_role\":\"%s\",\"refuses_push\":%s}"
                        .formatted(calendarId, role, refusesPush))
                .statusCode())
        .isEqualTo(201);
  }

  /** Inserts an event into the account's primary calendar as the account; answers Google's body. */
  private static JsonNode insert(String account, String event)
      throws IOException, InterruptedException {
    HttpResponse<String> inserted =
        send(
            "POST",
            settings().emulatorUrl() + "/calendar/v3/calendars/primary/events",
            accessToken(account),
            event);
    assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(200);
    return json(inserted);
  }

  private static String id(JsonNode event) {
    return event.get("id").asString();
  }

  private static String accessToken(String account) throws IOException, InterruptedException {
    return json(send(
            "POST",
            settings().emulatorUrl() + "/emulator/v1/accounts/" + account + "/access-token",
            null,
            "{}"))
        .get("access_token")
        .asString();
  }
}
