package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.connectWithoutWaiting;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One request followed by its trace id from the gateway to the read model: a disconnect sent with a
 * caller's {@code traceparent} goes through the gateway to oauth-service, into its outbox, through
 * Kafka to events-query-service (and sync-service); each writes a line in that trace.
 */
@Order(85)
@ExtendWith(SystemStack.class)
class TracingSystemTests {

  @Test
  void aDisconnectIsFollowedByItsTraceIdFromTheGatewayToTheReadModel() throws Exception {
    String token = userToken("tracing-" + UUID.randomUUID().toString().substring(0, 8));
    String connectionId = connectWithoutWaiting(token, newGoogleAccount());
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String callerSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    HttpResponse<String> disconnect =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(gateway("/api/calendar/connections/" + connectionId + "/")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(disconnect.statusCode()).isEqualTo(204);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(linesOf("gateway", traceId))
                  .anyMatch(
                      line -> line.contains("Routed DELETE to oauth-service-disconnect: 204"));
              assertThat(linesOf("oauth-service", traceId))
                  .anyMatch(line -> line.contains("disconnected connection " + connectionId));
              // the topic's other consumer, a record listener, continues it too
              assertThat(linesOf("sync-service", traceId))
                  .anyMatch(line -> line.contains("connection " + connectionId + " disconnected"));
              assertThat(linesOf("events-query-service", traceId))
                  .anyMatch(
                      line ->
                          line.contains(
                              "Applied connection.disconnected of connection " + connectionId));
            });
  }

  /**
   * The lines written in the trace by any instance of a service (second lanes log to name-2.log).
   */
  private static List<String> linesOf(String service, String traceId) throws IOException {
    Path logs = settings().workDirectory().resolve("logs");
    List<String> found = new ArrayList<>();
    String name = Pattern.quote(service) + "(-\\d+)?\\.log";
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(logs, file -> file.getFileName().toString().matches(name))) {
      for (Path file : files) {
        try (Stream<String> lines = Files.lines(file)) {
          lines.filter(line -> line.contains(traceId)).forEach(found::add);
        }
      }
    }
    return found;
  }
}
