package io.calsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.sync.publish.EventChangePublisher;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.TestInfra;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import reactor.test.StepVerifier;

/**
 * The context exactly as it runs in production (Boot's own {@code KafkaTemplate}, no test
 * replacements), proving the wiring and that a published change is acknowledged and readable.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.listener.auto-startup=false",
      "calsync.sync.backstop-tick=PT1H",
      "calsync.sync.backstop-initial-delay=PT1H"
    })
@ContextConfiguration(initializers = TestInfra.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class ProductionWiringApplicationTests {

  @Autowired EventChangePublisher publisher;
  @Autowired KafkaTemplate<String, String> template;
  @Autowired ProducerListener<Object, Object> producerListener;

  @Test
  void bootsKafkaTemplateCarriesThePublishedChangesWithAcks() {
    assertThat(template.getClass()).isEqualTo(KafkaTemplate.class);
    UUID conn = UUID.randomUUID();
    var message =
        new SnapshotStarted(
            conn, "user-wiring", OffsetDateTime.now(ZoneOffset.UTC), UUID.randomUUID(), 1);
    StepVerifier.create(publisher.publish(message)).verifyComplete();
    try (var changes = new EventChanges(conn)) {
      var all = changes.awaitUntil(l -> l.size() == 1);
      assertThat(all.get(0).message()).isEqualTo(message);
      assertThat(all.get(0).header("ce_type")).isEqualTo("calendar.snapshot_started");
    }
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
