package io.calsync.sync.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import reactor.core.scheduler.Schedulers;

class EventChangePublisherTests {

  @Test
  void recordCarriesKeyValueAndCloudEventsHeaders() {
    var template = new KafkaTemplate<String, String>(new DefaultKafkaProducerFactory<>(Map.of()));
    var publisher =
        new EventChangePublisher(template, Schedulers.immediate(), new SimpleMeterRegistry());
    UUID conn = UUID.randomUUID();
    UUID cal = UUID.randomUUID();
    var message =
        new SnapshotStarted(
            conn, "user-1", OffsetDateTime.parse("2026-11-25T10:00:00+01:00"), cal, 3);

    ProducerRecord<String, String> record = publisher.record(message);

    assertThat(record.topic()).isEqualTo(Topics.EVENT_CHANGES);
    assertThat(record.key()).isEqualTo(conn.toString());
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(UUID.fromString(header(record, "ce_id"))).isNotNull();
    assertThat(header(record, "ce_source")).isEqualTo("/calendar-platform/sync-service");
    assertThat(header(record, "ce_type")).isEqualTo("calendar.snapshot_started");
    assertThat(header(record, "ce_time")).isEqualTo("2026-11-25T10:00:00+01:00");
    assertThat(header(record, "ce_subject")).isEqualTo(cal.toString());
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    EventChangeMessage back =
        CalendarJson.mapper().readValue(record.value(), EventChangeMessage.class);
    assertThat(back).isEqualTo(message);
  }

  @Test
  void acknowledgedMessagesCountByKindAndUnacknowledgedOnesDoNot() {
    var meters = new SimpleMeterRegistry();
    var producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    var publisher =
        new EventChangePublisher(
            new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
            Schedulers.immediate(),
            meters);
    UUID conn = UUID.randomUUID();
    UUID cal = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.parse("2026-11-25T10:00:00+01:00");
    var started = new SnapshotStarted(conn, "user-1", at, cal, 3);
    var completed = new SnapshotCompleted(conn, "user-1", at, cal, 3, 0);

    var acknowledged = publisher.publish(List.of(started, completed)).toFuture();
    producer.completeNext();
    producer.completeNext();
    acknowledged.join();
    var refused = publisher.publish(started).toFuture();
    producer.errorNext(new RuntimeException("broker away"));
    assertThat(refused).isCompletedExceptionally();

    assertThat(published(meters, SnapshotStarted.TYPE)).isEqualTo(1.0);
    assertThat(published(meters, SnapshotCompleted.TYPE)).isEqualTo(1.0);
  }

  private static double published(SimpleMeterRegistry meters, String kind) {
    return meters.get("calsync.sync.changes.published").tag("kind", kind).counter().count();
  }

  private static String header(ProducerRecord<String, String> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
