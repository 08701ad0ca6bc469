package io.calsync.query.support;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes contract records as sync-service and oauth-service do: JSON value, connection key,
 * CloudEvents headers.
 */
public final class Messages {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private final KafkaTemplate<String, String> template;

  public Messages(KafkaTemplate<String, String> template) {
    this.template = template;
  }

  public void publish(EventChangeMessage message) {
    send(
        Topics.EVENT_CHANGES,
        message.connectionId(),
        message.type(),
        message.calendarId().toString(),
        CloudEventHeaders.SOURCE_SYNC,
        JSON.writeValueAsString(message),
        message.occurredAt().toString());
  }

  public void publish(ConnectionMessage message) {
    send(
        Topics.CONNECTIONS,
        message.connectionId(),
        message.type(),
        message.connectionId().toString(),
        CloudEventHeaders.SOURCE_OAUTH,
        JSON.writeValueAsString(message),
        message.occurredAt().toString());
  }

  public void publishRaw(String topic, UUID key, String value) {
    try {
      template.send(new ProducerRecord<>(topic, key.toString(), value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(
      String topic,
      UUID key,
      String type,
      String subject,
      String source,
      String value,
      String time) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, key.toString(), value);
    header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
    header(record, CloudEventHeaders.SOURCE, source);
    header(record, CloudEventHeaders.TYPE, type);
    header(record, CloudEventHeaders.TIME, time);
    header(record, CloudEventHeaders.SUBJECT, subject);
    header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    try {
      template.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
