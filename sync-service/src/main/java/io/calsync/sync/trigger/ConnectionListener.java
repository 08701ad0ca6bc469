package io.calsync.sync.trigger;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.Topics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code calendar.connections.v1}. A plain listener: it handles one record at a time and
 * waits for the result on the listener thread, so per-key order holds, and the offset is committed
 * only after the handling succeeded. A record that is not a valid message (not JSON, no ids) goes
 * to {@code calendar.connections.v1.DLT} at once; any other failure (the database or the broker
 * away, the handling timing out) is retried by the container's error handler until it succeeds
 * (config {@code KafkaConfig}). An unknown message type reads as {@code null} and is skipped.
 */
@Component
class ConnectionListener {

  private static final Logger log = LoggerFactory.getLogger(ConnectionListener.class);
  private static final long TIMEOUT_SECONDS = 60;

  private final ConnectionLifecycle lifecycle;
  private final JsonMapper mapper = CalendarJson.mapper();

  ConnectionListener(ConnectionLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @KafkaListener(
      id = "sync-service-connections",
      topics = Topics.CONNECTIONS,
      groupId = "sync-service")
  void onMessage(ConsumerRecord<String, String> record) throws Exception {
    if (record.value() == null) {
      return;
    }
    ConnectionMessage message = mapper.readValue(record.value(), ConnectionMessage.class);
    if (message == null) {
      log.info(
          "skipping a message of unknown type at {}-{}@{}",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    if (message.connectionId() == null || message.userId() == null) {
      throw new IllegalArgumentException("connection message without connection_id or user_id");
    }
    CompletableFuture<Void> handling = lifecycle.handle(message).toFuture();
    try {
      handling.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      handling.cancel(true); // the redelivery starts it afresh; handling is idempotent
      throw e;
    }
  }
}
