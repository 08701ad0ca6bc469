package io.calsync.sync.publish;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes to {@code calendar.event-changes.v1}: key = connection id, value = the contract's JSON,
 * CloudEvents 1.0 binary headers. A batch is handed to the producer in list order from one thread
 * (the idempotent producer keeps that order per partition), and the returned {@code Mono} completes
 * only when Kafka acknowledged every record of the batch: that is the signal the engine waits for
 * before it stores a sync token. {@code calsync_sync_changes_published_total{kind}} counts the
 * acknowledged records by message type.
 */
@Component
public class EventChangePublisher {

  private final KafkaTemplate<String, String> template;
  private final Scheduler scheduler;
  private final JsonMapper mapper = CalendarJson.mapper();
  private final Meter.MeterProvider<Counter> published;

  EventChangePublisher(
      KafkaTemplate<String, String> template,
      @Qualifier("kafkaSendScheduler") Scheduler scheduler,
      MeterRegistry meters) {
    this.template = template;
    this.scheduler = scheduler;
    this.published =
        Counter.builder("calsync.sync.changes.published")
            .description(
                "Messages sync published to calendar.event-changes.v1 and Kafka acknowledged")
            .withRegistry(meters);
  }

  public Mono<Void> publish(EventChangeMessage message) {
    return publish(List.of(message));
  }

  public Mono<Void> publish(List<? extends EventChangeMessage> messages) {
    if (messages.isEmpty()) {
      return Mono.empty();
    }
    return Mono.defer(
            () -> {
              List<CompletableFuture<?>> acks = new ArrayList<>(messages.size());
              for (EventChangeMessage m : messages) {
                acks.add(template.send(record(m)));
              }
              return Mono.fromFuture(
                  CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
            })
        .subscribeOn(scheduler)
        .onErrorMap(
            e -> !(e instanceof PublishFailedException),
            e -> new PublishFailedException("event changes not acknowledged by Kafka", e))
        .then(Mono.fromRunnable(() -> countPublished(messages)));
  }

  /** One increment per message type of the acknowledged batch, not one per message. */
  private void countPublished(List<? extends EventChangeMessage> messages) {
    messages.stream()
        .collect(Collectors.groupingBy(EventChangeMessage::type, Collectors.counting()))
        .forEach((kind, n) -> published.withTag("kind", kind).increment(n));
  }

  ProducerRecord<String, String> record(EventChangeMessage m) {
    String key = m.connectionId().toString();
    var headers = new RecordHeaders();
    header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    header(headers, CloudEventHeaders.ID, UUID.randomUUID().toString());
    header(headers, CloudEventHeaders.SOURCE, CloudEventHeaders.SOURCE_SYNC);
    header(headers, CloudEventHeaders.TYPE, m.type());
    header(
        headers,
        CloudEventHeaders.TIME,
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(m.occurredAt()));
    header(headers, CloudEventHeaders.SUBJECT, m.calendarId().toString());
    header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    return new ProducerRecord<>(
        Topics.EVENT_CHANGES, null, key, mapper.writeValueAsString(m), headers);
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
