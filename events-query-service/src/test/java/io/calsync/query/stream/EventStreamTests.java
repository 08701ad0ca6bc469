package io.calsync.query.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.query.problem.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.test.StepVerifier;

/**
 * The stream's shape in virtual time: the default 15 s heartbeat, only the caller's changes, the
 * end when the token expires or changes may have been missed, and the cap of open streams per user
 * (here 2).
 */
class EventStreamTests {

  private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  private final ReadModelChanges changes = new ReadModelChanges();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final OpenStreams openStreams = new OpenStreams(meters);
  private final StreamProperties properties =
      new StreamProperties(
          Duration.ofSeconds(15),
          2,
          Duration.ofSeconds(10),
          new StreamProperties.Listener(
              Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30)));
  private final EventStreamController controller =
      new EventStreamController(changes, openStreams, properties, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void whenSubscribedThenAConnectedCommentComesAtOnce() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(
            e -> {
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
        .assertNext(
            e -> {
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
        .then(
            () -> {
              changes.publish(
                  new ReadModelChange("event.upserted", "bob", connection, calendar, "bobs", at));
              changes.publish(
                  new ReadModelChange("event.deleted", "alice", connection, calendar, "e1", at));
            })
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("event.deleted");
              assertThat(e.data())
                  .isEqualTo(
                      new EventStreamController.Notice(
                          "event.deleted", connection, calendar, "e1", at));
            })
        .expectNoEvent(Duration.ofSeconds(14))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void whenTheTokenExpiresThenTheStreamCompletesAndGivesItsSlotBack() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice", NOW.plusSeconds(20))))
        .expectSubscription()
        .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
        .then(() -> assertThat(openStreams.count("alice")).isEqualTo(1))
        .expectNoEvent(Duration.ofSeconds(15))
        .assertNext(e -> assertThat(e.comment()).isEqualTo("heartbeat"))
        .expectNoEvent(Duration.ofSeconds(5))
        .verifyComplete();
    assertThat(openStreams.count("alice")).isZero();
  }

  @Test
  void whenTheInstanceMayHaveMissedChangesThenEveryOpenStreamCompletesAndGivesItsSlotBack() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
        .then(changes::interrupt)
        .verifyComplete();
    assertThat(openStreams.count("alice")).isZero();
    // a stream opened after the interruption lives on
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice")))
        .expectSubscription()
        .assertNext(e -> assertThat(e.comment()).isEqualTo("connected"))
        .expectNoEvent(Duration.ofSeconds(14))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aTokenThatHasAlreadyExpiredByTheServicesClockGetsNoStream() {
    StepVerifier.withVirtualTime(() -> controller.stream(jwt("alice", NOW.minusSeconds(5))))
        .expectSubscription()
        .verifyComplete();
    assertThat(openStreams.count("alice")).isZero();
  }

  @Test
  void whenTheUserHasTheMaximumOpenThenOneMoreIsRefusedUntilOneCloses() {
    var first = controller.stream(jwt("alice")).subscribe();
    var second = controller.stream(jwt("alice")).subscribe();
    assertThat(openStreams.count("alice")).isEqualTo(2);
    assertThat(openGauge()).isEqualTo(2.0);

    StepVerifier.create(controller.stream(jwt("alice")))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        ProblemException.class,
                        p -> {
                          assertThat(p.getStatusCode().value()).isEqualTo(429);
                          assertThat(p.getBody().getProperties())
                              .containsEntry("code", ProblemCodes.LIMIT_EXCEEDED);
                        }))
        .verify(Duration.ofSeconds(5));
    assertThatThrownBy(() -> openStreams.open("alice", 2))
        .isInstanceOf(TooManyStreamsException.class);
    // someone else is not held up
    StepVerifier.create(controller.stream(jwt("bob")))
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .thenCancel()
        .verify(Duration.ofSeconds(5));

    first.dispose();
    assertThat(openStreams.count("alice")).isEqualTo(1);
    assertThat(openGauge()).isEqualTo(1.0); // the refused ones never counted
    StepVerifier.create(controller.stream(jwt("alice")))
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
    second.dispose();
    assertThat(openStreams.count("alice")).isZero();
    assertThat(openGauge()).isZero();
  }

  private double openGauge() {
    return meters.get("calsync.query.streams.open").gauge().value();
  }

  private static Jwt jwt(String subject) {
    return jwt(subject, null);
  }

  private static Jwt jwt(String subject, Instant expiresAt) {
    Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "none").subject(subject);
    return expiresAt == null ? jwt.build() : jwt.expiresAt(expiresAt).build();
  }
}
