package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import io.calsync.emulator.EmulatorClient.Response;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** events.watch / channels.stop and the notifications, received by a small Reactor Netty server. */
class PushClientTests {

  /** One notification as received. */
  record Notification(String path, Map<String, String> headers, int bodyLength) {
    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  static GoogleEmulator emulator;
  static EmulatorClient client;
  static DisposableServer receiver;
  static final List<Notification> received = new CopyOnWriteArrayList<>();
  static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    emulator = GoogleEmulator.start(EmulatorOptions.defaults());
    client = new EmulatorClient(emulator);
    receiver =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) ->
                    request
                        .receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(
                            body -> {
                              Map<String, String> headers = new ConcurrentHashMap<>();
                              request
                                  .requestHeaders()
                                  .forEach(
                                      h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
                              String path = request.uri();
                              AtomicInteger failures = failuresLeft.get(path);
                              if (failures != null && failures.getAndDecrement() > 0) {
                                return response.status(503).send().then();
                              }
                              received.add(new Notification(path, headers, body.length));
                              return response.status(200).send().then();
                            })
                        .then(Mono.empty()))
            .bindNow();
  }

  @AfterAll
  static void stop() {
    emulator.close();
    receiver.disposeNow();
  }

  static String address(String path) {
    return "http://127.0.0.1:" + receiver.port() + path;
  }

  static List<Notification> at(String path) {
    return received.stream().filter(n -> n.path().equals(path)).toList();
  }

  static Event event(String summary) {
    return new Event()
        .setSummary(summary)
        .setStart(new EventDateTime().setDateTime(new DateTime("2026-12-01T10:00:00Z")))
        .setEnd(new EventDateTime().setDateTime(new DateTime("2026-12-01T11:00:00Z")));
  }

  @Test
  void watchDeliversSyncThenExistsWithGoogleHeaders() throws Exception {
    String email = "watch@example.com";
    Calendar calendar = client.calendar(client.accessToken(email));
    Channel channel =
        calendar
            .events()
            .watch(
                "primary",
                new Channel()
                    .setId("chan-1")
                    .setType("web_hook")
                    .setAddress(address("/hook1"))
                    .setToken("conn=42")
                    .setParams(Map.of("ttl", "3600")))
            .execute();
    assertThat(channel.getKind()).isEqualTo("api#channel");
    assertThat(channel.getResourceId()).isNotBlank();
    assertThat(channel.getResourceUri())
        .contains("/calendar/v3/calendars/watch@example.com/events");
    assertThat(channel.getExpiration())
        .isBetween(System.currentTimeMillis() + 3_500_000, System.currentTimeMillis() + 3_700_000);

    await().atMost(Duration.ofSeconds(10)).until(() -> at("/hook1").size() == 1);
    Notification sync = at("/hook1").get(0);
    assertThat(sync.header("X-Goog-Resource-State")).isEqualTo("sync");
    assertThat(sync.header("X-Goog-Message-Number")).isEqualTo("1");
    assertThat(sync.header("X-Goog-Channel-ID")).isEqualTo("chan-1");
    assertThat(sync.header("X-Goog-Channel-Token")).isEqualTo("conn=42");
    assertThat(sync.header("X-Goog-Resource-ID")).isEqualTo(channel.getResourceId());
    assertThat(sync.header("X-Goog-Resource-URI")).isEqualTo(channel.getResourceUri());
    assertThat(sync.header("X-Goog-Channel-Expiration")).endsWith("GMT");
    assertThat(sync.header("User-Agent")).startsWith("APIs-Google");
    assertThat(sync.bodyLength()).isZero();

    Event created = calendar.events().insert("primary", event("One")).execute();
    calendar.events().patch("primary", created.getId(), new Event().setSummary("Two")).execute();
    calendar.events().delete("primary", created.getId()).execute();
    await().atMost(Duration.ofSeconds(10)).until(() -> at("/hook1").size() == 4);
    List<Notification> all = at("/hook1");
    long previous = 1;
    for (Notification n : all.subList(1, 4)) {
      assertThat(n.header("X-Goog-Resource-State")).isEqualTo("exists");
      long number = Long.parseLong(n.header("X-Goog-Message-Number"));
      assertThat(number).isGreaterThan(previous + 1).as("increasing, not consecutive");
      previous = number;
    }

    calendar
        .channels()
        .stop(new Channel().setId("chan-1").setResourceId(channel.getResourceId()))
        .execute();
    calendar.events().insert("primary", event("After stop")).execute();
    Event probe = calendar.events().insert("primary", event("probe")).execute();
    assertThat(probe.getId()).isNotNull();
    // A second channel on the same calendar still gets notified, the stopped one does not.
    calendar
        .events()
        .watch(
            "primary",
            new Channel().setId("chan-1b").setType("webhook").setAddress(address("/hook1b")))
        .execute();
    calendar.events().insert("primary", event("Three")).execute();
    await().atMost(Duration.ofSeconds(10)).until(() -> at("/hook1b").size() == 2);
    assertThat(at("/hook1")).hasSize(4);
    assertThat(at("/hook1b").get(0).header("X-Goog-Channel-Token")).isNull();

    assertThatThrownBy(
            () ->
                calendar
                    .channels()
                    .stop(new Channel().setId("chan-1").setResourceId(channel.getResourceId()))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void notificationsAreRetriedOn5xx() throws Exception {
    Calendar calendar = client.calendar(client.accessToken("retry@example.com"));
    failuresLeft.put("/hook2", new AtomicInteger(2));
    calendar
        .events()
        .watch(
            "primary",
            new Channel().setId("chan-2").setType("web_hook").setAddress(address("/hook2")))
        .execute();
    await().atMost(Duration.ofSeconds(15)).until(() -> at("/hook2").size() == 1);
    assertThat(at("/hook2").get(0).header("X-Goog-Resource-State")).isEqualTo("sync");
    assertThat(failuresLeft.get("/hook2").get()).isNegative();
  }

  @Test
  void watchValidatesItsBodyAndCapsTheTtlAtSevenDays() throws Exception {
    String token = client.accessToken("validate@example.com");
    Calendar calendar = client.calendar(token);
    for (Channel bad :
        List.of(
            new Channel().setType("web_hook").setAddress(address("/x")),
            new Channel().setId("c-bad-type").setType("email").setAddress(address("/x")),
            new Channel().setId("c-no-address").setType("web_hook"),
            new Channel()
                .setId("c-bad-ttl")
                .setType("web_hook")
                .setAddress(address("/x"))
                .setParams(Map.of("ttl", "soon")))) {
      assertThatThrownBy(() -> calendar.events().watch("primary", bad).execute())
          .isInstanceOfSatisfying(
              GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
    }
    Channel longLived =
        calendar
            .events()
            .watch(
                "primary",
                new Channel()
                    .setId("c-long")
                    .setType("web_hook")
                    .setAddress(address("/hook3"))
                    .setParams(Map.of("ttl", "99999999")))
            .execute();
    assertThat(longLived.getExpiration() - System.currentTimeMillis())
        .isBetween(604_700_000L, 604_800_000L);
    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .watch(
                        "primary",
                        new Channel()
                            .setId("c-long")
                            .setType("web_hook")
                            .setAddress(address("/hook3")))
                    .execute())
        .as("channel ids are unique")
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));

    Response raw =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events/watch"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"c-raw\",\"type\":\"web_hook\","
                            + "\"address\":\""
                            + address("/hook4")
                            + "\"}"))
                .build());
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.json().get("expiration").isString()).as("int64 as a JSON string").isTrue();
    assertThat(raw.body()).contains("\"expiration\":\"");
    assertThat(raw.json().get("kind").asString()).isEqualTo("api#channel");

    assertThatThrownBy(
            () ->
                calendar
                    .events()
                    .watch(
                        "nobody@example.com",
                        new Channel().setId("c-404").setType("web_hook").setAddress(address("/x")))
                    .execute())
        .isInstanceOfSatisfying(
            GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }
}
