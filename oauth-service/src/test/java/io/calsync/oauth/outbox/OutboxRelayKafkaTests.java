package io.calsync.oauth.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.oauth.support.KafkaRecords;
import io.calsync.oauth.support.OAuthServiceTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@OAuthServiceTest
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayKafkaTests {

  @Autowired OutboxWriter writer;
  @Autowired OutboxRepository repository;
  @Autowired OutboxRelay relay;
  @Autowired OutboxNudge nudge;
  @Autowired TransactionalOperator transactions;
  @Autowired DatabaseClient db;
  @Autowired Clock appClock;
  @Autowired ProducerListener<Object, Object> producerListener;

  @Test
  void shouldPublishCommittedMessagesInOrderWithCloudEventsHeaders() {
    UUID connectionId = UUID.randomUUID();
    List<ConnectionMessage> messages = reauthMessages(connectionId, 3);

    transactions
        .transactional(Flux.fromIterable(messages).concatMap(writer::append).then())
        .as(StepVerifier::create)
        .verifyComplete();

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(connectionId.toString(), 3);
    assertThat(records)
        .extracting(r -> CalendarJson.mapper().readValue(r.value(), ConnectionMessage.class))
        .containsExactlyElementsOf(messages);
    ConsumerRecord<String, String> first = records.get(0);
    assertThat(KafkaRecords.header(first, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
    assertThat(KafkaRecords.header(first, CloudEventHeaders.TYPE))
        .isEqualTo("connection.reauth_required");
    assertThat(KafkaRecords.header(first, CloudEventHeaders.SOURCE))
        .isEqualTo(CloudEventHeaders.SOURCE_OAUTH);
    assertThat(KafkaRecords.header(first, CloudEventHeaders.SUBJECT))
        .isEqualTo(connectionId.toString());
    assertThat(KafkaRecords.header(first, CloudEventHeaders.CONTENT_TYPE))
        .isEqualTo("application/json");
    assertThat(KafkaRecords.header(first, CloudEventHeaders.TIME))
        .isEqualTo("2026-01-01T10:00:00Z");
    assertThat(records)
        .extracting(r -> KafkaRecords.header(r, CloudEventHeaders.ID))
        .doesNotHaveDuplicates();
    unpublishedFor(connectionId).as(StepVerifier::create).expectNext(0L).verifyComplete();
  }

  @Test
  void whenTheTransactionRollsBackThenNoMessageIsWritten() {
    UUID connectionId = UUID.randomUUID();

    transactions
        .transactional(
            writer
                .append(reauthMessages(connectionId, 1).get(0))
                .then(Mono.error(new IllegalStateException("the state change failed"))))
        .as(StepVerifier::create)
        .expectError(IllegalStateException.class)
        .verify();

    db.sql("select count(*) as n from outbox where message_key = :key")
        .bind("key", connectionId.toString())
        .map(row -> row.get("n", Long.class))
        .one()
        .as(StepVerifier::create)
        .expectNext(0L)
        .verifyComplete();
  }

  @Test
  void whenKafkaIsDownThenNothingIsLostAndTheRelayCatchesUpInOrder() {
    UUID connectionId = UUID.randomUUID();
    List<ConnectionMessage> messages = reauthMessages(connectionId, 3);
    OutboxRelay unreachable =
        new OutboxRelay(
            repository,
            unreachableKafka(),
            transactions,
            nudge,
            new OutboxProperties(
                Duration.ofHours(1),
                100,
                Duration.ofSeconds(5),
                Duration.ofDays(7),
                new OutboxProperties.Purge(Duration.ofHours(1), 1000)),
            appClock,
            new SimpleMeterRegistry(),
            ObservationRegistry.NOOP);
    relay.stop();
    try {
      transactions
          .transactional(Flux.fromIterable(messages).concatMap(writer::append).then())
          .as(StepVerifier::create)
          .verifyComplete();

      unreachable.relayOnce().as(StepVerifier::create).expectNext(0L).verifyComplete();
      unpublishedFor(connectionId).as(StepVerifier::create).expectNext(3L).verifyComplete();
    } finally {
      unreachable.stop();
      relay.start();
    }

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(connectionId.toString(), 3);
    assertThat(records)
        .extracting(r -> CalendarJson.mapper().readValue(r.value(), ConnectionMessage.class))
        .containsExactlyElementsOf(messages);
  }

  private Mono<Long> unpublishedFor(UUID connectionId) {
    return db.sql(
            "select count(*) as n from outbox where message_key = :key and published_at is null")
        .bind("key", connectionId.toString())
        .map(row -> row.get("n", Long.class))
        .one();
  }

  private static List<ConnectionMessage> reauthMessages(UUID connectionId, int count) {
    OffsetDateTime at = OffsetDateTime.of(2026, 1, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    return java.util.stream.IntStream.range(0, count)
        .<ConnectionMessage>mapToObj(
            i ->
                new ConnectionReauthRequired(
                    connectionId, "user-outbox", at.plusSeconds(i), "reason-" + i))
        .toList();
  }

  private static KafkaTemplate<String, String> unreachableKafka() {
    return new KafkaTemplate<>(
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:1",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                1000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                2000)));
  }

  @Test
  void aFailedSendIsLoggedWithoutItsMessage(CapturedOutput output) {
    String personal = "{\"title\":\"Appointment with Dr. Example\",\"user_id\":\"jane\"}";
    producerListener.onError(
        new ProducerRecord<>("calendar.some-topic", "key-1", personal),
        null,
        new KafkaException("the broker is away"));

    assertThat(output.getAll()).contains("Exception thrown when sending a message");
    assertThat(output.getAll()).doesNotContain("Dr. Example").doesNotContain("jane");
  }
}
