package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API Security Top 10 (2023) API8, Security Misconfiguration: security headers on every
 * answer, CORS only for the web client's origin, actuator only on management ports, and errors that
 * reveal nothing of the implementation.
 */
@Order(18)
@ExtendWith(SystemStack.class)
class Api8SecurityMisconfigurationSystemTests {

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws Exception {
    String user = userToken("alice");
    for (HttpResponse<String> answer :
        List.of(
            get(gateway("/"), null),
            get(gateway("/settings"), null),
            get(gateway("/api/calendar/connections/"), user),
            get(gateway("/api/calendar/events/upcoming/?limit=0"), user),
            get(gateway("/api/calendar/connections/"), null),
            get(gateway("/no/such/page"), null))) {
      String what = answer.request().uri().getPath() + " " + answer.statusCode();
      assertThat(answer.headers().firstValue("X-Content-Type-Options"))
          .as(what)
          .hasValue("nosniff");
      assertThat(answer.headers().firstValue("X-Frame-Options")).as(what).hasValue("DENY");
      assertThat(answer.headers().firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
      assertThat(answer.headers().firstValue("Content-Security-Policy"))
          .as(what)
          .hasValueSatisfying(
              csp ->
                  assertThat(csp)
                      .contains("frame-ancestors 'none'")
                      .doesNotContain("unsafe-inline"));
    }
  }

  @Test
  void corsRefusesOriginsOtherThanTheWebClients() throws Exception {
    // the local stack allows only the gateway's own origin (WEB_ALLOWED_ORIGINS), which needs no
    // CORS
    HttpResponse<String> foreign = preflight("https://evil.example");

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(foreign.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  @Test
  void actuatorIsOnlyOnTheManagementPorts() throws Exception {
    LocalStackSettings.ManagementPorts management = settings().managementPorts();
    Map<Integer, Integer> publicToManagement =
        Map.of(
            settings().gatewayPort(), management.gateway(),
            settings().oauthPort(), management.oauth(),
            settings().syncPort(), management.sync(),
            settings().queryPort(), management.query());
    for (Map.Entry<Integer, Integer> ports : publicToManagement.entrySet()) {
      for (String path :
          List.of(
              "/actuator/health", "/actuator/prometheus", "/actuator/env", "/actuator/heapdump")) {
        assertThat(get("http://localhost:" + ports.getKey() + path, null).statusCode())
            .as("public port %s %s", ports.getKey(), path)
            .isIn(401, 404);
      }
      assertThat(
              get("http://localhost:" + ports.getValue() + "/actuator/health/readiness", null)
                  .statusCode())
          .as("management port %s", ports.getValue())
          .isEqualTo(200);
      assertThat(get("http://localhost:" + ports.getValue() + "/actuator/env", null).statusCode())
          .as("management port %s env", ports.getValue())
          .isIn(401, 404);
    }
  }

  @Test
  void errorsRevealNothingOfTheImplementation() throws Exception {
    String user = userToken("alice");
    for (HttpResponse<String> answer :
        List.of(
            get(gateway("/api/calendar/events/upcoming/?limit=abc&tz=Mars/Olympus"), user),
            send("POST", gateway("/api/calendar/sync/"), user, "{not json"),
            send("PATCH", gateway("/api/calendar/calendars/not-a-uuid/"), user, "{\"selected\":1}"),
            send("DELETE", gateway("/api/calendar/connections/not-a-uuid/"), user, null),
            get(gateway("/api/calendar/nothing-here/"), user))) {
      String what = answer.request().method() + " " + answer.request().uri().getPath();
      assertThat(answer.statusCode()).as(what).isBetween(400, 499);
      assertThat(answer.headers().firstValue("Content-Type"))
          .as(what)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      assertThat(json(answer).get("code").asString()).as(what).isNotBlank();
      assertThat(answer.body())
          .as(what)
          .doesNotContain("Exception")
          .doesNotContain("at io.")
          .doesNotContain("at org.")
          .doesNotContain("SQL")
          .doesNotContain("postgres");
    }
  }

  private static HttpResponse<String> preflight(String origin) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gateway("/api/calendar/connections/")))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
