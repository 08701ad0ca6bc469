package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.encode;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API Security Top 10 (2023) API7, Server Side Request Forgery: the platform only ever calls
 * the Google and webhook addresses of its configuration. Nothing a client sends (a push
 * notification's resource URI, a return path, an id in a path) makes a service call elsewhere or
 * redirect a browser off the web client.
 */
@Order(17)
@ExtendWith(SystemStack.class)
class Api7ServerSideRequestForgerySystemTests {

  /** Stands for an internal address an attacker would like a service to call. */
  private static HttpServer target;

  private static final AtomicInteger hits = new AtomicInteger();

  @BeforeAll
  static void startTarget() throws Exception {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext(
        "/",
        exchange -> {
          hits.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    target.start();
  }

  @AfterAll
  static void stopTarget() {
    target.stop(0);
  }

  @Test
  void aForgedPushNotificationNeverMakesTheServiceCallItsResourceUri() throws Exception {
    String internalUrl = "http://127.0.0.1:" + target.getAddress().getPort() + "/latest/meta-data/";
    HttpRequest notification =
        HttpRequest.newBuilder(URI.create(gateway("/api/calendar/google/notifications/")))
            .header("X-Goog-Channel-ID", "forged-channel")
            .header("X-Goog-Channel-Token", "forged")
            .header("X-Goog-Resource-ID", "forged")
            .header("X-Goog-Resource-State", "exists")
            .header("X-Goog-Resource-Uri", internalUrl)
            .header("X-Goog-Message-Number", "2")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();

    HttpResponse<String> answer = HTTP.send(notification, HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(() -> hits.get() == 0);
  }

  @Test
  void aReturnPathCannotSendTheBrowserElsewhere() throws Exception {
    String user = userToken("alice");
    for (String returnTo :
        List.of(
            "https://evil.example/settings",
            "//evil.example/settings",
            "/\\evil.example",
            "javascript:alert(1)",
            "http://127.0.0.1:" + target.getAddress().getPort() + "/")) {
      HttpResponse<String> authorize =
          get(gateway("/api/calendar/google/authorize/?return_to=" + encode(returnTo)), user);

      assertThat(authorize.statusCode()).as(returnTo).isEqualTo(400);
      assertThat(json(authorize).get("code").asString())
          .as(returnTo)
          .isEqualTo("invalid_parameter");
      assertThat(json(authorize).get("parameter").asString()).as(returnTo).isEqualTo("return_to");
    }
    assertThat(hits.get()).isZero();
  }

  @Test
  void idsInPathsAreIdsNotAddresses() throws Exception {
    String user = userToken("alice");
    for (String id :
        List.of(
            "..%2F..%2Finternal%2Fv1",
            "http%3A%2F%2F127.0.0.1%3A" + target.getAddress().getPort(), "%2F%2Fevil.example")) {
      HttpResponse<String> patch =
          send(
              "PATCH",
              gateway("/api/calendar/calendars/" + id + "/"),
              user,
              "{\"selected\":false}");
      HttpResponse<String> delete =
          send("DELETE", gateway("/api/calendar/connections/" + id + "/"), user, null);

      assertThat(patch.statusCode()).as(id).isIn(400, 404);
      assertThat(delete.statusCode()).as(id).isIn(400, 404);
    }
    assertThat(hits.get()).isZero();
  }
}
