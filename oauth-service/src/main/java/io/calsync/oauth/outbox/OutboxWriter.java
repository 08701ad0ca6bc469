package io.calsync.oauth.outbox;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.Topics;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends a connection message to the outbox inside the caller's transaction, so the state change
 * and its announcement commit or roll back together (no dual write). The relay publishes it later;
 * after the commit the relay is nudged so that it does not wait for its next tick. The row keeps
 * the W3C {@code traceparent} of the trace current here (the request's), which the relay continues.
 */
@Component
public class OutboxWriter {

  private static final JsonMapper JSON = CalendarJson.mapper();
  private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();
  static final String TRACEPARENT = "traceparent";

  private final OutboxRepository repository;
  private final OutboxNudge nudge;
  private final Clock clock;
  private final Tracer tracer;
  private final Propagator propagator;

  public OutboxWriter(
      OutboxRepository repository,
      OutboxNudge nudge,
      Clock clock,
      Tracer tracer,
      Propagator propagator) {
    this.repository = repository;
    this.nudge = nudge;
    this.clock = clock;
    this.tracer = tracer;
    this.propagator = propagator;
  }

  public Mono<Void> append(ConnectionMessage message) {
    return Mono.deferContextual(
            context -> {
              String payload = JSON.writerFor(ConnectionMessage.class).writeValueAsString(message);
              return repository.insert(
                  Topics.CONNECTIONS,
                  message.connectionId().toString(),
                  message.type(),
                  payload,
                  headers(message),
                  traceparent(context),
                  clock.instant());
            })
        .then(nudgeAfterCommit());
  }

  /**
   * The traceparent of the span current in the subscriber's context (read from the Reactor context,
   * not from whatever thread the caller's chain happens to run on), or null outside a trace.
   */
  private String traceparent(ContextView context) {
    try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
      Span span = tracer.currentSpan();
      if (span == null) {
        return null;
      }
      Map<String, String> carrier = new LinkedHashMap<>();
      propagator.inject(span.context(), carrier, Map::put);
      return carrier.get(TRACEPARENT);
    }
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
