package io.calsync.query.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The live stream over real HTTP: a change applied from a real Kafka message reaches the owner's
 * stream, never another user's, and a comment heartbeat flows (every second in the tests).
 */
@QueryServiceTest
class EventStreamKafkaTests {

  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");
  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> template;

  @Test
  void whenAChangeIsAppliedThenTheOwnersStreamCarriesItBetweenHeartbeats() {
    String user = "user-" + UUID.randomUUID();
    String stranger = "user-" + UUID.randomUUID();
    UUID connection = UUID.randomUUID();
    UUID calendar = UUID.randomUUID();
    Messages messages = new Messages(template);

    Flux<ServerSentEvent<String>> mine = stream(user);
    Flux<ServerSentEvent<String>> theirs = stream(stranger);

    StepVerifier.create(theirs)
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .expectNextMatches(e -> "heartbeat".equals(e.comment()))
        .thenCancel()
        .verify(Duration.ofSeconds(20));

    StepVerifier.create(mine)
        .expectNextMatches(e -> "connected".equals(e.comment())) // subscribed: now publish
        .then(
            () -> {
              messages.publish(
                  new ConnectionConnected(
                      connection, user, T0, "google", "a@example.com", List.of()));
              messages.publish(
                  new CalendarUpserted(
                      connection,
                      user,
                      T0,
                      calendar,
                      "a@example.com",
                      "Work",
                      null,
                      "UTC",
                      true,
                      "owner",
                      true));
              messages.publish(
                  new EventUpserted(
                      connection,
                      user,
                      T0,
                      calendar,
                      1,
                      new EventPayload(
                          "live",
                          "confirmed",
                          "Live",
                          null,
                          null,
                          EventTime.of(OffsetDateTime.parse("2026-11-24T10:00:00Z"), null),
                          EventTime.of(OffsetDateTime.parse("2026-11-24T11:00:00Z"), null),
                          null,
                          null,
                          null,
                          null,
                          T0,
                          null,
                          null)));
            })
        .thenConsumeWhile(e -> !"event.upserted".equals(e.event()))
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("event.upserted");
              assertThat(e.data())
                  .contains(
                      "\"event_id\":\"live\"",
                      "\"connection_id\":\"" + connection + "\"",
                      "\"calendar_id\":\"" + calendar + "\"",
                      "\"type\":\"event.upserted\"");
            })
        .thenConsumeWhile(e -> e.comment() == null)
        .expectNextMatches(e -> "heartbeat".equals(e.comment()) && e.data() == null)
        .thenCancel()
        .verify(Duration.ofSeconds(30));
  }

  private Flux<ServerSentEvent<String>> stream(String user) {
    return TestHttp.client(port)
        .get()
        .uri("/api/calendar/events/stream/")
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(SSE)
        .getResponseBody();
  }
}
