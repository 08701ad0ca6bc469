package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import io.calsync.emulator.EmulatorClient.Response;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JSON fidelity and request handling: gzip bodies, etags, timestamps, error shapes. */
class WireFormatClientTests {

  static GoogleEmulator emulator;
  static EmulatorClient client;

  @BeforeAll
  static void start() {
    emulator = GoogleEmulator.start(EmulatorOptions.defaults());
    client = new EmulatorClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void gzipRequestBodiesAreAccepted() throws Exception {
    String token = client.accessToken("gzip@example.com");
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(
          ("{\"summary\":\"Zipped\",\"start\":{\"dateTime\":\"2026-12-01T10:00:00Z\"},"
                  + "\"end\":{\"dateTime\":\"2026-12-01T11:00:00Z\"}}")
              .getBytes(StandardCharsets.UTF_8));
    }
    Response created =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray()))
                .build());
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().get("summary").asString()).isEqualTo("Zipped");
  }

  @Test
  void theJavaClientGzipsItsBodiesAndTheEmulatorReadsThem() throws Exception {
    String token = client.accessToken("client-gzip@example.com");
    AtomicReference<String> encoding = new AtomicReference<>();
    Calendar calendar =
        new Calendar.Builder(
                new com.google.api.client.http.javanet.NetHttpTransport(),
                com.google.api.client.json.gson.GsonFactory.getDefaultInstance(),
                request -> {
                  request.getHeaders().setAuthorization("Bearer " + token);
                  request.setInterceptor(
                      r ->
                          encoding.set(
                              r.getContent() == null
                                  ? null
                                  : r.getEncoding() == null
                                      ? "identity"
                                      : r.getEncoding().getName()));
                })
            .setRootUrl(emulator.baseUrl() + "/")
            .setApplicationName("gzip-test")
            .build();
    Event event =
        calendar
            .events()
            .insert(
                "primary",
                new Event()
                    .setSummary("Via client")
                    .setStart(new EventDateTime().setDateTime(new DateTime("2026-12-01T10:00:00Z")))
                    .setEnd(new EventDateTime().setDateTime(new DateTime("2026-12-01T11:00:00Z"))))
            .execute();
    assertThat(encoding.get()).isEqualTo("gzip");
    assertThat(event.getSummary()).isEqualTo("Via client");
  }

  @Test
  void googleJsonShapes() {
    String token = client.accessToken("shapes@example.com");
    Response inserted =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"summary\":\"S\",\"start\":{\"dateTime\":"
                            + "\"2026-12-01T10:00:00\",\"timeZone\":\"Europe/Berlin\"},\"end\":{\"dateTime\":"
                            + "\"2026-12-01T11:00:00\",\"timeZone\":\"Europe/Berlin\"}}"))
                .build());
    assertThat(inserted.status()).isEqualTo(200);
    assertThat(inserted.json().get("start").get("dateTime").asString())
        .as("dateTime with offset")
        .isEqualTo("2026-12-01T10:00:00+01:00");
    assertThat(inserted.json().get("etag").asString()).matches("\"\\d+\"");
    assertThat(inserted.json().get("created").asString()).matches(".*\\.\\d{3}Z");

    Response list =
        client.get(
            "/calendar/v3/calendars/primary/events?maxResults=10"
                + "&timeMin=2026-11-01T00:00:00.000Z&timeMax=2026-12-31T00:00:00.000%2B01:00",
            token);
    assertThat(list.status()).as("millisecond timestamps in query parameters").isEqualTo(200);
    assertThat(list.json().get("kind").asString()).isEqualTo("calendar#events");
    assertThat(list.json().get("etag").asString()).startsWith("\"").endsWith("\"");
    assertThat(list.json().get("updated").asString()).matches(".*T.*\\.\\d{3}Z");
    assertThat(list.json().get("timeZone").asString()).isEqualTo("UTC");
    assertThat(list.json().get("items").get(0).get("kind").asString()).isEqualTo("calendar#event");

    Response calendarList = client.get("/calendar/v3/users/me/calendarList", token);
    assertThat(calendarList.json().get("items").get(0).get("kind").asString())
        .isEqualTo("calendar#calendarListEntry");

    Response badParam =
        client.get("/calendar/v3/calendars/primary/events?timeMin=yesterday", token);
    assertThat(badParam.status()).isEqualTo(400);
    assertThat(badParam.json().get("error").get("errors").get(0).get("location").asString())
        .isEqualTo("timeMin");
    Response badMax = client.get("/calendar/v3/calendars/primary/events?maxResults=0", token);
    assertThat(badMax.status()).isEqualTo(400);

    Response missing = client.get("/calendar/v3/calendars/primary/events", "ya29.unknown");
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/json");
    assertThat(missing.json().get("error").get("code").asInt()).isEqualTo(401);
    assertThat(missing.json().get("error").get("errors").get(0).get("reason").asString())
        .isEqualTo("authError");

    Response notJson =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build());
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("error").get("errors").get(0).get("reason").asString())
        .isEqualTo("parseError");
  }

  @Test
  void ifMatchGuardsWrites() {
    String token = client.accessToken("etag@example.com");
    Response inserted =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"summary\":\"E\",\"start\":{\"date\":"
                            + "\"2026-12-01\"},\"end\":{\"date\":\"2026-12-02\"}}"))
                .build());
    String id = inserted.json().get("id").asString();
    Response stale =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events/" + id))
                .header("Authorization", "Bearer " + token)
                .header("If-Match", "\"1\"")
                .DELETE()
                .build());
    assertThat(stale.status()).isEqualTo(412);
    Response fresh =
        client.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events/" + id))
                .header("Authorization", "Bearer " + token)
                .header("If-Match", inserted.json().get("etag").asString())
                .DELETE()
                .build());
    assertThat(fresh.status()).isEqualTo(204);
  }

  @Test
  void largeResponsesAreGzippedForClientsThatAcceptIt() throws Exception {
    String email = "gzip-response@example.com";
    String token = client.accessToken(email);
    client.seed(email, "primary", 50, 10);
    java.net.http.HttpResponse<byte[]> zipped =
        client.http.send(
            HttpRequest.newBuilder(client.uri("/calendar/v3/calendars/primary/events"))
                .header("Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip")
                .GET()
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
    byte[] unzipped =
        new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
            .readAllBytes();
    assertThat(EmulatorClient.JSON.readTree(unzipped).get("items")).hasSize(50);
    Response plain = client.get("/calendar/v3/calendars/primary/events", token);
    assertThat(plain.raw().headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.json().get("items")).hasSize(50);
  }
}
