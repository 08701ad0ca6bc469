package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * OWASP API Security Top 10 (2023) API1, Broken Object Level Authorization: another user's
 * connection, calendar, sync and status are a 404 or absent, exactly like ones that do not exist,
 * through the gateway.
 */
@Order(11)
@ExtendWith(SystemStack.class)
class Api1BrokenObjectLevelAuthorizationSystemTests {

  private static String owner;
  private static String intruder;
  private static String connectionId;
  private static String calendarId;

  @BeforeAll
  static void ownerConnectsAGoogleAccount() throws Exception {
    owner = userToken("owner-" + UUID.randomUUID());
    intruder = userToken("intruder-" + UUID.randomUUID());
    connectionId = connect(owner, newGoogleAccount());
    calendarId =
        json(get(gateway("/api/calendar/calendars/"), owner))
            .get("calendars")
            .get(0)
            .get("id")
            .asString();
  }

  @Test
  void anotherUsersConnectionIsNotListedAndCannotBeDeleted() throws Exception {
    assertThat(json(get(gateway("/api/calendar/connections/"), intruder)).get("connections"))
        .isEmpty();

    HttpResponse<String> delete =
        send("DELETE", gateway("/api/calendar/connections/" + connectionId + "/"), intruder, null);

    assertNotFoundProblem(delete);
    assertThat(json(get(gateway("/api/calendar/connections/"), owner)).get("connections"))
        .extracting(c -> c.get("id").asString())
        .containsExactly(connectionId);
  }

  @Test
  void anotherUsersCalendarIsNotListedAndCannotBeChanged() throws Exception {
    assertThat(json(get(gateway("/api/calendar/calendars/"), intruder)).get("calendars")).isEmpty();

    HttpResponse<String> patch =
        send(
            "PATCH",
            gateway("/api/calendar/calendars/" + calendarId + "/"),
            intruder,
            "{\"selected\":false}");

    assertNotFoundProblem(patch);
    JsonNode calendar =
        json(get(gateway("/api/calendar/calendars/"), owner)).get("calendars").get(0);
    assertThat(calendar.get("selected").asBoolean()).isTrue();
  }

  @Test
  void anotherUsersConnectionCannotBeSyncedNorItsStatusRead() throws Exception {
    HttpResponse<String> sync =
        send(
            "POST",
            gateway("/api/calendar/sync/"),
            intruder,
            "{\"connection_id\":\"" + connectionId + "\"}");

    assertNotFoundProblem(sync);
    assertThat(json(get(gateway("/api/calendar/sync/status/"), intruder)).get("connections"))
        .isEmpty();
    assertThat(json(get(gateway("/api/calendar/sync/status/"), owner)).get("connections"))
        .extracting(c -> c.get("connection_id").asString())
        .containsExactly(connectionId);
  }

  @Test
  void anotherUsersEventsAreNeverShown() throws Exception {
    assertThat(
            json(get(gateway("/api/calendar/events/upcoming/?limit=100&days=30"), intruder))
                .get("events"))
        .isEmpty();
  }

  @Test
  void aConnectionThatDoesNotExistAnswersTheSame() throws Exception {
    HttpResponse<String> delete =
        send(
            "DELETE",
            gateway("/api/calendar/connections/" + UUID.randomUUID() + "/"),
            intruder,
            null);

    assertNotFoundProblem(delete);
  }

  private static void assertNotFoundProblem(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(json(response).get("code").asString()).isEqualTo("not_found");
  }
}
