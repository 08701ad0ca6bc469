package io.calsync.oauth.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes outbox rows to Kafka, in id order, and marks each one published only after the broker
 * acknowledged it ({@code acks=all}, idempotent producer).
 *
 * <p>Why this is not a dual write: the service never writes to the database and to Kafka in one
 * request. The state change and its outbox row commit in one database transaction, so a message
 * exists if and only if the change happened. This relay then copies committed rows to Kafka. A
 * crash between the broker's ack and the {@code published_at} update only re-sends a row
 * (at-least-once; consumers are idempotent), and nothing is lost while Kafka is down: the row stays
 * unpublished and the relay tries again on its next tick.
 *
 * <p>Order per key: one relay runs at a time across all instances (a transaction-scoped PostgreSQL
 * advisory lock), it sends rows one after the other in id order and stops the batch at the first
 * failure, so a later row is never published before an earlier one. Rows of one connection are
 * written under that connection's row lock, so their ids follow their commit order.
 *
 * <p>Tracing: a row that kept the traceparent of the request that wrote it is sent inside an
 * observation continuing that trace, so the record's own {@code traceparent} header (which the
 * template's observation writes) carries the request's trace id, and its consumers continue it.
 */
@Component
class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final OutboxRepository repository;
  private final KafkaTemplate<String, String> kafka;
  private final TransactionalOperator transactions;
  private final OutboxNudge nudge;
  private final OutboxProperties properties;
  private final Clock clock;
  private final ObservationRegistry observations;
  private volatile Scheduler sendScheduler = Schedulers.newBoundedElastic(2, 1000, "outbox-relay");
  private volatile Disposable loop;
  private final Counter published;
  private final Counter failures;

  OutboxRelay(
      OutboxRepository repository,
      KafkaTemplate<String, String> kafka,
      TransactionalOperator transactions,
      OutboxNudge nudge,
      OutboxProperties properties,
      Clock clock,
      MeterRegistry meters,
      ObservationRegistry observations) {
    this.repository = repository;
    this.kafka = kafka;
    this.transactions = transactions;
    this.nudge = nudge;
    this.properties = properties;
    this.clock = clock;
    this.observations = observations;
    this.published =
        Counter.builder("calsync.outbox.published")
            .description("Outbox rows published to Kafka and acknowledged")
            .register(meters);
    this.failures =
        Counter.builder("calsync.outbox.failures")
            .description(
                "Relay runs stopped by a failed send or database error; retried on the next tick")
            .register(meters);
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    if (sendScheduler.isDisposed()) {
      sendScheduler = Schedulers.newBoundedElastic(2, 1000, "outbox-relay");
    }
    loop =
        Flux.merge(
                Flux.interval(properties.pollInterval()).map(tick -> Boolean.TRUE), nudge.signals())
            .onBackpressureDrop()
            .concatMap(signal -> relayOnce().onErrorResume(this::logAndContinue), 1)
            .subscribe(
                published -> {
                  if (published >= properties.batchSize()) {
                    nudge.nudge(); // a full batch: more may be waiting
                  }
                });
  }

  /** Publishes one batch; emits how many rows were published. */
  Mono<Long> relayOnce() {
    Flux<Long> batch =
        repository
            .tryRelayLock()
            .filter(Boolean::booleanValue)
            .flatMapMany(locked -> repository.findUnpublished(properties.batchSize()))
            .concatMap(
                message ->
                    send(message)
                        .then(repository.markPublished(message.id(), clock.instant()))
                        .doOnSuccess(done -> published.increment())
                        .thenReturn(1L))
            .onErrorResume(
                e -> {
                  failures.increment();
                  // Stop at the first failure, keep the rows marked so far, retry the rest later.
                  log.warn("Outbox relay paused, will retry: {}", e.toString());
                  return Flux.empty();
                });
    return transactions.transactional(batch).count();
  }

  private Mono<Void> send(OutboxMessage message) {
    ProducerRecord<String, String> record =
        new ProducerRecord<>(message.topic(), message.key(), message.payload());
    message
        .headers()
        .forEach(
            (name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
    // send() may block up to max.block.ms while Kafka is unreachable: never on an event loop.
    return Mono.fromFuture(() -> sendInTrace(record, message.traceparent()))
        .subscribeOn(sendScheduler)
        .timeout(properties.sendTimeout())
        .doOnNext(
            result ->
                log.debug(
                    "Published outbox row {} ({}) to {}-{}@{}",
                    message.id(),
                    message.type(),
                    result.getRecordMetadata().topic(),
                    result.getRecordMetadata().partition(),
                    result.getRecordMetadata().offset()))
        .then();
  }

  private CompletableFuture<SendResult<String, String>> sendInTrace(
      ProducerRecord<String, String> record, String traceparent) {
    if (traceparent == null) {
      return kafka.send(record);
    }
    Observation observation =
        Observation.createNotStarted(
                "calsync.outbox.relay",
                () -> {
                  // the stored traceparent as the carrier a receiver reads its parent from
                  ReceiverContext<String> context =
                      new ReceiverContext<>(
                          (carrier, key) -> OutboxWriter.TRACEPARENT.equals(key) ? carrier : null,
                          Kind.PRODUCER);
                  context.setCarrier(traceparent);
                  return context;
                },
                observations)
            .contextualName("outbox publish")
            .start();
    try (Observation.Scope scope = observation.openScope()) {
      return kafka
          .send(record)
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  observation.error(error);
                }
                observation.stop();
              });
    } catch (RuntimeException e) {
      observation.error(e);
      observation.stop();
      throw e;
    }
  }

  private Mono<Long> logAndContinue(Throwable e) {
    failures.increment();
    log.warn("Outbox relay run failed, will retry: {}", e.toString());
    return Mono.just(0L);
  }

  @Override
  public synchronized void stop() {
    Disposable current = loop;
    if (current != null) {
      current.dispose();
    }
    sendScheduler.dispose();
  }

  @Override
  public boolean isRunning() {
    Disposable current = loop;
    return current != null && !current.isDisposed();
  }

  @Override
  public int getPhase() {
    // Stop before the web server and the connection pool are shut down, start after them.
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }
}
