package io.calsync.query.readmodel.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import io.calsync.query.support.DeadLetters;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.ReadModelProbe;
import io.calsync.query.support.ReadModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Poison inside one poll's batch: three records that can never be applied (not JSON, refused by the
 * rules, refused by the database) each reach {@code <topic>.DLT} once, alone, and every other
 * record of the batch is applied once, in order: the tables and announcements are those of the same
 * stream without them, applied one message per transaction.
 */
@QueryServiceTest
class BatchPoisonKafkaTests {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Autowired KafkaTemplate<String, String> template;
  @Autowired KafkaListenerEndpointRegistry registry;
  @Autowired ReadModelWriter writer;

  @Test
  void whenPoisonRecordsArriveInsideABatchThenEachGoesToTheDeadLetterTopicAloneAndTheRestApplies()
      throws Exception {
    try (ReadModelProbe probe = new ReadModelProbe()) {
      ReadModelStream reference = new ReadModelStream();
      List<Object> clean = new ArrayList<>(reference.connectionMessagesBefore());
      clean.addAll(reference.eventMessages());
      for (Object message : clean) {
        writer.apply(List.of(message)).block(WAIT);
      }
      List<String> tables = probe.tables(reference);
      List<String> announced = probe.announcements(reference);

      ReadModelStream world = new ReadModelStream();
      Messages messages = new Messages(template);
      world.connectionMessagesBefore().forEach(m -> messages.publish((ConnectionMessage) m));
      await().atMost(WAIT).until(() -> probe.tables(world).size() == 2);

      String notJson = "{\"type\":\"event.upserted\", not json";
      List<EventChangeMessage> events = world.eventMessages();
      MessageListenerContainer container =
          registry.getListenerContainer("events-query-event-changes");
      container.pause();
      try {
        await().atMost(WAIT).until(container::isContainerPaused);
        for (int i = 0; i < events.size(); i++) {
          if (i == 3) {
            messages.publishRaw(Topics.EVENT_CHANGES, world.connectionA, notJson);
          } else if (i == 12) {
            messages.publish(world.withoutEventId());
          } else if (i == 20) {
            messages.publish(world.withoutUser());
          }
          messages.publish(events.get(i));
        }
      } finally {
        container.resume();
      }

      await().atMost(WAIT).until(() -> probe.tables(world).equals(tables));
      // in order per connection (a partition); the two connections' partitions interleave freely
      List<String> heard = probe.announcements(world);
      for (String connection : List.of("connectionA", "connectionB")) {
        assertThat(heard)
            .filteredOn(a -> a.contains("\"connection_id\":\"" + connection + "\""))
            .as(connection)
            .isEqualTo(
                announced.stream()
                    .filter(a -> a.contains("\"connection_id\":\"" + connection + "\""))
                    .toList());
      }
      try (var dead = new DeadLetters(Topics.EVENT_CHANGES, world.connectionA.toString())) {
        await().atMost(WAIT).until(() -> dead.values().size() >= 3);
        assertThat(dead.values())
            .hasSize(3)
            .satisfiesExactly(
                v -> assertThat(v).isEqualTo(notJson),
                v -> assertThat(v).contains("no id"),
                v -> assertThat(v).contains("\"nouser\""));
      }
    }
  }
}
