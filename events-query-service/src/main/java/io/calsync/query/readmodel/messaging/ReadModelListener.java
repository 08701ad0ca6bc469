package io.calsync.query.readmodel.messaging;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka adapter of the read model. Plain listener methods on the container's consumer threads
 * (never an event loop), so each record is applied and committed before the next of its partition:
 * per-connection order holds. This is the one place in main code that waits for a reactive pipeline
 * ({@code block}); the ArchitectureTests allow it here only. A record that can never be applied
 * (not JSON of the contract, invalid) goes to {@code <topic>.DLT} at once; any other failure is
 * retried with backoff by the container's error handler until the record is applied ({@link
 * ReadModelKafkaConfig}). A message of an unknown type reads as null and is skipped, so producers
 * can add types.
 */
@Component
class ReadModelListener {

  private static final Logger log = LoggerFactory.getLogger(ReadModelListener.class);

  private final JsonMapper json = CalendarJson.mapper();
  private final ReadModelWriter writer;
  private final ReadModelProperties properties;

  ReadModelListener(ReadModelWriter writer, ReadModelProperties properties) {
    this.writer = writer;
    this.properties = properties;
  }

  @KafkaListener(
      id = "events-query-event-changes",
      topics = Topics.EVENT_CHANGES,
      groupId = "${spring.kafka.consumer.group-id:events-query-service}")
  void onEventChange(ConsumerRecord<String, String> record) {
    EventChangeMessage message = json.readValue(record.value(), EventChangeMessage.class);
    if (message == null) {
      log.debug(
          "Skipping a message of unknown type at {}-{}@{}",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    apply(writer.apply(message));
  }

  @KafkaListener(
      id = "events-query-connections",
      topics = Topics.CONNECTIONS,
      groupId = "${spring.kafka.consumer.group-id:events-query-service}")
  void onConnection(ConsumerRecord<String, String> record) {
    ConnectionMessage message = json.readValue(record.value(), ConnectionMessage.class);
    if (message == null) {
      log.debug(
          "Skipping a message of unknown type at {}-{}@{}",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    apply(writer.apply(message));
  }

  private void apply(Mono<Void> write) {
    write.block(properties.listenerTimeout()); // the writer announces what it applied, on commit
  }
}
