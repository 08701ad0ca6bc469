package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Live means live in the local stack: the stack gives sync-service the gateway's address as {@code
 * PUBLIC_WEBHOOK_BASE_URL}, so after the first sync a watch channel exists at the emulator, and an
 * event added there reaches the upcoming list through Google's push notification, with nobody
 * asking for a sync and long before the backstop.
 */
@Order(20)
@ExtendWith(SystemStack.class)
class PushSystemTests {

  @Test
  void anEventAddedAtGoogleIsUpcomingWithinSecondsWithoutAskingForASync() throws Exception {
    String user = userToken("pusher-" + UUID.randomUUID());
    String account = newGoogleAccount();
    long watchesBefore = requestsAtGoogle("events.watch");
    connect(user, account);
    // the first sync ends by opening a channel for each selected calendar
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> requestsAtGoogle("events.watch") > watchesBefore);

    String title = "Pushed " + UUID.randomUUID();
    Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    String event =
        "{\"summary\":\""
            + title
            + "\",\"start\":{\"dateTime\":\""
            + start
            + "\"},\"end\":{\"dateTime\":\""
            + start.plus(1, ChronoUnit.HOURS)
            + "\"}}";
    HttpResponse<String> inserted =
        send(
            "POST",
            settings().emulatorUrl() + "/calendar/v3/calendars/primary/events",
            googleAccessToken(account),
            event);
    assertThat(inserted.statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> upcomingTitles(user).contains("\"" + title + "\""));
  }

  private static long requestsAtGoogle(String operation) throws IOException, InterruptedException {
    JsonNode stats = json(get(settings().emulatorUrl() + "/emulator/v1/stats", null));
    JsonNode count = stats.path("requests").path(operation);
    return count.isMissingNode() ? 0 : count.asLong();
  }

  private static String googleAccessToken(String account) throws IOException, InterruptedException {
    return json(send(
            "POST",
            settings().emulatorUrl() + "/emulator/v1/accounts/" + account + "/access-token",
            null,
            "{}"))
        .get("access_token")
        .asString();
  }

  private static String upcomingTitles(String user) throws IOException, InterruptedException {
    JsonNode events = json(get(gateway(ApiPaths.UPCOMING_EVENTS + "?days=7"), user)).get("events");
    return events.toString();
  }
}
