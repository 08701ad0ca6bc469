package io.calsync.query.stream.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.query.config.QueryProperties;
import io.calsync.query.stream.domain.ReadModelChange;
import io.calsync.query.stream.domain.ReadModelChanges;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.test.StepVerifier;

/** The stream's shape in virtual time: the default 15 s heartbeat, and only the caller's changes. */
class EventStreamTests {

  private final ReadModelChanges changes = new ReadModelChanges();
  private final QueryProperties properties = new QueryProperties(
      Duration.ofSeconds(15), Duration.ofSeconds(30), 1000,
      new QueryProperties.Retry(Duration.ofMillis(500), 2.0, Duration.ofSeconds(5), 4, Duration.ofSeconds(30), Duration.ofMinutes(10)),
      new QueryProperties.Topics(3, (short) 1));
  private final EventStreamController controller = new EventStreamController(changes, properties);

  @Test
  void whenSubscribedThenAConnectedCommentComesAtOnce() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(e -> {
          assertThat(e.comment()).isEqualTo("connected");
          assertThat(e.data()).isNull();
        })
        .expectNoEvent(Duration.ofSeconds(14))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void whenIdleThenAHeartbeatCommentEveryFifteenSeconds() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
        .expectNoEvent(Duration.ofSeconds(14))
        .thenAwait(Duration.ofSeconds(1))
        .assertNext(e -> {
          assertThat(e.comment()).isEqualTo("heartbeat");
          assertThat(e.data()).isNull();
        })
        .thenAwait(Duration.ofSeconds(15))
        .assertNext(e -> assertThat(e.comment()).isEqualTo("heartbeat"))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void whenChangesArePublishedThenOnlyTheCallersAreSent() {
    UUID connection = UUID.randomUUID();
    UUID calendar = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.parse("2026-11-23T08:00:00Z");

    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
        .then(() -> {
          changes.publish(new ReadModelChange("event.upserted", "bob", connection, calendar, "bobs", at));
          changes.publish(new ReadModelChange("event.deleted", "alice", connection, calendar, "e1", at));
        })
        .assertNext(e -> {
          assertThat(e.event()).isEqualTo("event.deleted");
          assertThat(e.data()).isEqualTo(new EventStreamController.Notice("event.deleted", connection, calendar, "e1", at));
        })
        .expectNoEvent(Duration.ofSeconds(14))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  private static Jwt jwt(String subject) {
    return Jwt.withTokenValue("t").header("alg", "none").subject(subject).build();
  }
}
