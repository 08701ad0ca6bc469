package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API Security Top 10 (2023) API4, Unrestricted Resource Consumption (and API6's "sync now"
 * loop that would spend the shared Google quota): every per-user limit answers 429 problem+json
 * with a {@code Retry-After} and a stable code, bodies are capped, and list sizes are bounded.
 */
@Order(14)
@ExtendWith(SystemStack.class)
class Api4UnrestrictedResourceConsumptionSystemTests {

  @Test
  void aUserWhoSpendsTheBurstIsAskedToWait() throws Exception {
    String user = userToken("busy-" + UUID.randomUUID());
    HttpResponse<String> limited = null;
    for (int i = 0; i < 400 && limited == null; i++) {
      HttpResponse<String> answer = get(gateway("/api/calendar/calendars/"), user);
      if (answer.statusCode() == 429) {
        limited = answer;
      } else {
        assertThat(answer.statusCode()).isEqualTo(200);
      }
    }

    assertTooMany(limited, "rate_limited");
    // someone else is not held up
    assertThat(
            get(gateway("/api/calendar/calendars/"), userToken("calm-" + UUID.randomUUID()))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void atMostFivePendingConnectFlowsPerUser() throws Exception {
    String user = userToken("flows-" + UUID.randomUUID());
    for (int i = 0; i < 5; i++) {
      assertThat(get(gateway("/api/calendar/google/authorize/"), user).statusCode()).isEqualTo(200);
    }

    assertTooMany(get(gateway("/api/calendar/google/authorize/"), user), "limit_exceeded");
  }

  @Test
  void atMostFiveOpenEventStreamsPerUser() throws Exception {
    String user = userToken("streams-" + UUID.randomUUID());
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        HttpResponse<InputStream> stream = stream(user);
        assertThat(stream.statusCode()).isEqualTo(200);
        open.add(stream.body());
      }
      HttpResponse<InputStream> sixth = stream(user);
      try (InputStream body = sixth.body()) {
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.headers().firstValue("Retry-After")).isPresent();
        assertThat(new String(body.readAllBytes())).contains("limit_exceeded");
      }
    } finally {
      for (InputStream body : open) {
        body.close();
      }
    }
  }

  @Test
  void syncNowCannotBeCalledInALoop() throws Exception {
    String user = userToken("syncer-" + UUID.randomUUID());
    String connectionId = connect(user, newGoogleAccount());
    String body = "{\"connection_id\":\"" + connectionId + "\"}";

    HttpResponse<String> first = send("POST", gateway("/api/calendar/sync/"), user, body);
    HttpResponse<String> second = send("POST", gateway("/api/calendar/sync/"), user, body);

    assertThat(first.statusCode()).isEqualTo(202);
    if (second.statusCode() == 202) {
      // the first is still queued: the second joined it instead of starting another run
      assertThat(json(second).get("requested").get(0).get("state").asString()).isEqualTo("queued");
      second = send("POST", gateway("/api/calendar/sync/"), user, body);
    }
    if (second.statusCode() != 202) {
      assertTooMany(second, "rate_limited");
    }
  }

  @Test
  void requestBodiesAreCapped() throws Exception {
    String user = userToken("big-" + UUID.randomUUID());
    String huge = "{\"connection_id\":\"" + "x".repeat(200_000) + "\"}";

    HttpResponse<String> answer = send("POST", gateway("/api/calendar/sync/"), user, huge);

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(json(answer).get("code").asString()).isEqualTo("payload_too_large");
  }

  @Test
  void pagesAndWindowsAreBounded() throws Exception {
    String user = userToken("pages-" + UUID.randomUUID());
    for (String query : List.of("limit=101", "limit=100000", "days=366", "days=100000")) {
      HttpResponse<String> answer = get(gateway("/api/calendar/events/upcoming/?" + query), user);

      assertThat(answer.statusCode()).as(query).isEqualTo(400);
      assertThat(json(answer).get("parameter").asString())
          .as(query)
          .isEqualTo(query.substring(0, query.indexOf('=')));
    }
  }

  private static HttpResponse<InputStream> stream(String token) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway("/api/calendar/events/stream/")))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  private static void assertTooMany(HttpResponse<String> answer, String code) {
    assertThat(answer).as("a 429 answer").isNotNull();
    assertThat(answer.statusCode()).isEqualTo(429);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.headers().firstValue("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
    assertThat(json(answer).get("code").asString()).isEqualTo(code);
  }
}
