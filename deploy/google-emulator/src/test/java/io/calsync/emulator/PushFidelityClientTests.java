package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Channel;
import io.calsync.contract.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/** A watch's default lifetime and the expiration header as Google writes it. */
class PushFidelityClientTests {

  static final MutableClock CLOCK = MutableClock.stoppedAt(Instant.parse("2026-11-24T10:00:00Z"));
  static GoogleEmulator emulator;
  static EmulatorClient client;
  static DisposableServer receiver;
  static final List<String> expirations = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    emulator = GoogleEmulator.start(EmulatorOptions.defaults().withClock(CLOCK));
    client = new EmulatorClient(emulator);
    receiver =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle(
                (request, response) -> {
                  expirations.add(request.requestHeaders().get("X-Goog-Channel-Expiration"));
                  return response.status(200).send();
                })
            .bindNow();
  }

  @AfterAll
  static void stop() {
    emulator.close();
    receiver.disposeNow();
  }

  @Test
  void aWatchWithoutTtlLivesSevenDaysAndTheHeaderHasATwoDigitDay() throws Exception {
    Calendar calendar = client.calendar(client.accessToken("ttl@example.com"));
    Channel channel =
        calendar
            .events()
            .watch(
                "primary",
                new Channel()
                    .setId("default-ttl")
                    .setType("web_hook")
                    .setAddress("http://127.0.0.1:" + receiver.port() + "/hook"))
            .execute();
    assertThat(channel.getExpiration())
        .as("params.ttl defaults to 604800 s")
        .isEqualTo(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
    await().atMost(Duration.ofSeconds(10)).until(() -> !expirations.isEmpty());
    assertThat(expirations.get(0)).isEqualTo("Tue, 01 Dec 2026 10:00:00 GMT");
  }
}
