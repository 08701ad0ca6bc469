package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.services.calendar.Calendar;
import io.calsync.emulator.EmulatorClient.Response;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every injectable fault kind, as the real client sees it. */
class FaultClientTests {

  static GoogleEmulator emulator;
  static EmulatorClient client;
  static Calendar calendar;

  @BeforeAll
  static void start() {
    emulator =
        GoogleEmulator.start(EmulatorOptions.defaults().withRedirectUris(EmulatorClient.REDIRECT));
    client = new EmulatorClient(emulator);
    calendar = client.calendar(client.accessToken("faults@example.com"));
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @AfterEach
  void clear() {
    assertThat(client.delete("/emulator/v1/faults").status()).isEqualTo(204);
  }

  static Stream<Arguments> calendarFaults() {
    return Stream.of(
        Arguments.of(429, "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded"),
        Arguments.of(403, "rateLimitExceeded", "usageLimits", "Rate Limit Exceeded"),
        Arguments.of(403, "userRateLimitExceeded", "usageLimits", "User Rate Limit Exceeded"),
        Arguments.of(403, "quotaExceeded", "usageLimits", "Calendar usage limits exceeded."),
        Arguments.of(500, "backendError", "global", "Backend Error"),
        Arguments.of(503, "backendError", "global", "Backend Error"),
        Arguments.of(404, "notFound", "global", "Not Found"));
  }

  @ParameterizedTest
  @MethodSource("calendarFaults")
  void calendarFaultsUseGoogleErrorShapeForTheGivenNumberOfCalls(
      int status, String reason, String domain, String message) {
    Response added =
        client.postJson(
            "/emulator/v1/faults",
            "{\"operation\":\"events.list\","
                + "\"status\":"
                + status
                + ",\"reason\":\""
                + reason
                + "\",\"times\":2,\"delay_ms\":0}");
    assertThat(added.status()).isEqualTo(201);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> calendar.events().list("primary").execute())
          .isInstanceOfSatisfying(
              GoogleJsonResponseException.class,
              e -> {
                assertThat(e.getStatusCode()).isEqualTo(status);
                assertThat(e.getDetails().getCode()).isEqualTo(status);
                assertThat(e.getDetails().getErrors().get(0).getReason()).isEqualTo(reason);
                assertThat(e.getDetails().getErrors().get(0).getDomain()).isEqualTo(domain);
                assertThat(e.getDetails().getErrors().get(0).getMessage()).isEqualTo(message);
              });
    }
    assertThatCode(() -> calendar.calendarList().list().execute())
        .as("other operations are unaffected")
        .doesNotThrowAnyException();
    assertThatCode(() -> calendar.events().list("primary").execute())
        .as("the fault is used up")
        .doesNotThrowAnyException();
  }

  @Test
  void wildcardFaultsHitEveryOperationAndDeleteClearsThem() {
    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"*\",\"status\":503,\"reason\":\"backendError\",\"times\":100}");
    assertThatThrownBy(() -> calendar.calendarList().list().execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(503));
    Response raw =
        client.get(
            "/calendar/v3/calendars/primary/events", client.accessToken("faults@example.com"));
    assertThat(raw.status()).isEqualTo(503);
    assertThat(raw.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(raw.json().get("error").get("status").asString()).isEqualTo("UNAVAILABLE");
    client.delete("/emulator/v1/faults");
    assertThatCode(() -> calendar.calendarList().list().execute()).doesNotThrowAnyException();
  }

  @Test
  void latencyFaultsDelayTheAnswer() throws Exception {
    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"calendarList.list\",\"status\":429,\"reason\":\"rateLimitExceeded\","
            + "\"times\":1,\"delay_ms\":300}");
    long started = System.nanoTime();
    assertThatThrownBy(() -> calendar.calendarList().list().execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(429));
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);

    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"calendarList.list\",\"status\":0,\"times\":1,\"delay_ms\":300}");
    long slowStart = System.nanoTime();
    assertThat(calendar.calendarList().list().execute().getItems()).isNotEmpty();
    assertThat((System.nanoTime() - slowStart) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void watchAndStopFaults() {
    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"events.watch\",\"status\":404,\"reason\":\"notFound\",\"times\":1}");
    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .watch(
                        "primary",
                        new com.google.api.services.calendar.model.Channel()
                            .setId("f1")
                            .setType("web_hook")
                            .setAddress("http://127.0.0.1:9/"))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class,
            e -> assertThat(EmulatorClient.reason(e)).isEqualTo("notFound"));
    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"channels.stop\",\"status\":500,\"reason\":\"backendError\",\"times\":1}");
    assertThatThrownBy(
            () ->
                calendar
                    .channels()
                    .stop(
                        new com.google.api.services.calendar.model.Channel()
                            .setId("f1")
                            .setResourceId("r"))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(500));
  }

  @Test
  void oauthFaultsUseTheOAuthErrorShape() {
    Map<String, String> redirect =
        client.authorize(
            "oauth-faults@example.com",
            "openid email " + EmulatorClient.READONLY_SCOPE,
            Map.of("access_type", "offline", "prompt", "consent"));
    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"token\",\"status\":503,\"reason\":\"temporarily_unavailable\"}");
    Response failed = client.exchange(redirect.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(failed.status()).isEqualTo(503);
    assertThat(failed.json().get("error").asString()).isEqualTo("temporarily_unavailable");
    assertThat(failed.json().has("error_description")).isTrue();

    Map<String, String> again =
        client.authorize(
            "oauth-faults@example.com",
            "openid email " + EmulatorClient.READONLY_SCOPE,
            Map.of("access_type", "offline", "prompt", "consent"));
    Response token = client.exchange(again.get("code"), EmulatorClient.REDIRECT, null);
    assertThat(token.status()).isEqualTo(200);
    String access = token.json().get("access_token").asString();

    client.postJson("/emulator/v1/faults", "{\"operation\":\"userinfo\",\"status\":500}");
    Response userinfo = client.get("/v1/userinfo", access);
    assertThat(userinfo.status()).isEqualTo(500);
    assertThat(userinfo.json().get("error").isString()).isTrue();

    client.postJson(
        "/emulator/v1/faults",
        "{\"operation\":\"revoke\",\"status\":400,\"reason\":\"invalid_request\"}");
    Response revoke = client.postForm("/revoke", Map.of("token", access));
    assertThat(revoke.status()).isEqualTo(400);
    assertThat(revoke.json().get("error").asString()).isEqualTo("invalid_request");
    assertThat(client.postForm("/revoke", Map.of("token", access)).status()).isEqualTo(200);
  }
}
