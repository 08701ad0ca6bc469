package io.calsync.oauth.outbox;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.Topics;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends a connection message to the outbox inside the caller's transaction, so the state change
 * and its announcement commit or roll back together (no dual write). The relay publishes it later;
 * after the commit the relay is nudged so that it does not wait for its next tick.
 */
@Component
public class OutboxWriter {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private final OutboxRepository repository;
  private final OutboxNudge nudge;
  private final Clock clock;

  public OutboxWriter(OutboxRepository repository, OutboxNudge nudge, Clock clock) {
    this.repository = repository;
    this.nudge = nudge;
    this.clock = clock;
  }

  public Mono<Void> append(ConnectionMessage message) {
    return Mono.fromCallable(
            () -> JSON.writerFor(ConnectionMessage.class).writeValueAsString(message))
        .flatMap(
            payload ->
                repository.insert(
                    Topics.CONNECTIONS,
                    message.connectionId().toString(),
                    message.type(),
                    payload,
                    headers(message),
                    clock.instant()))
        .then(nudgeAfterCommit());
  }

  static Map<String, String> headers(ConnectionMessage message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    headers.put(CloudEventHeaders.ID, UUID.randomUUID().toString());
    headers.put(CloudEventHeaders.SOURCE, CloudEventHeaders.SOURCE_OAUTH);
    headers.put(CloudEventHeaders.TYPE, message.type());
    headers.put(
        CloudEventHeaders.TIME,
        DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(message.occurredAt()));
    headers.put(CloudEventHeaders.SUBJECT, message.connectionId().toString());
    headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    return headers;
  }

  private Mono<Void> nudgeAfterCommit() {
    return TransactionSynchronizationManager.forCurrentTransaction()
        .doOnNext(
            tsm -> {
              if (tsm.isSynchronizationActive()) {
                tsm.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(nudge::nudge);
                      }
                    });
              } else {
                nudge.nudge();
              }
            })
        .onErrorResume(
            org.springframework.transaction.NoTransactionException.class,
            e -> Mono.fromRunnable(nudge::nudge))
        .then();
  }
}
