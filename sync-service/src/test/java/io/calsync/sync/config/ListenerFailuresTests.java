package io.calsync.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sync.config.ListenerFailures.Kind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import tools.jackson.core.exc.StreamReadException;

class ListenerFailuresTests {

  @Test
  void whenTheRecordCanNeverSucceedThenItIsPoisonEvenWhenWrapped() {
    assertThat(ListenerFailures.classify(wrapped(new IllegalArgumentException("no ids"))))
        .isEqualTo(Kind.POISON);
    assertThat(ListenerFailures.classify(wrapped(new StreamReadException(null, "not json"))))
        .isEqualTo(Kind.POISON);
    assertThat(ListenerFailures.classify(new DataIntegrityViolationException("null value")))
        .isEqualTo(Kind.POISON);
  }

  @Test
  void whenTheDatabaseTheBrokerOrTheNetworkFailsThenItIsInfrastructure() {
    assertThat(
            ListenerFailures.classify(
                wrapped(
                    new DataAccessResourceFailureException(
                        "Failed to obtain R2DBC Connection", new ConnectException("refused")))))
        .isEqualTo(Kind.INFRASTRUCTURE);
    assertThat(ListenerFailures.classify(wrapped(new TimeoutException())))
        .isEqualTo(Kind.INFRASTRUCTURE);
    assertThat(
            ListenerFailures.classify(
                new org.apache.kafka.common.errors.TimeoutException("no acknowledgement")))
        .isEqualTo(Kind.INFRASTRUCTURE);
  }

  @Test
  void whenTheFailureIsUnknownThenItIsUnclassifiedAndCounted() {
    var meters = new SimpleMeterRegistry();
    var failures = new ListenerFailures(meters);
    var record = new ConsumerRecord<>("calendar.connections.v1", 1, 42L, "k", "v");
    assertThat(ListenerFailures.classify(wrapped(new IllegalStateException("a bug"))))
        .isEqualTo(Kind.UNCLASSIFIED);

    failures.failedDelivery(record, wrapped(new IllegalStateException("a bug")), 1);
    failures.failedDelivery(record, wrapped(new TimeoutException()), 2);
    failures.failedDelivery(record, wrapped(new IllegalArgumentException("poison")), 1);

    assertThat(count(meters, "unclassified")).isEqualTo(1.0);
    assertThat(count(meters, "infrastructure")).isEqualTo(1.0);
    assertThat(meters.find("calsync.kafka.listener.failures").tag("kind", "poison").counter())
        .isNull();
  }

  private static double count(SimpleMeterRegistry meters, String kind) {
    return meters
        .get("calsync.kafka.listener.failures")
        .tags("topic", "calendar.connections.v1", "kind", kind)
        .counter()
        .count();
  }

  private static Exception wrapped(Throwable cause) {
    return new ListenerExecutionFailedException("Listener failed", cause);
  }
}
