package io.calsync.sync.trigger;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's queue of connections to wake the worker for. The {@code pending} flag in the
 * database is the truth; a wake-up only says "look now", so a connection is queued at most once (a
 * duplicate is dropped: the queued entry will find its flag), the queue is bounded (when full a
 * wake-up is dropped and counted in {@code calsync_sync_wakeups_dropped_total}: the flag stays and
 * the backstop finds it), and a delayed wake-up (the push debounce) waits outside the queue and
 * enters it only when due, so it never holds a worker slot. A fresh queue per start of the worker:
 * {@link #ready()} and {@link #timers()} take one subscriber each.
 */
final class WakeUpQueue {

  private static final Logger log = LoggerFactory.getLogger(WakeUpQueue.class);

  private record Delayed(UUID connectionId, Duration delay) {}

  private final int capacity;
  private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
  private final Set<UUID> delayed = ConcurrentHashMap.newKeySet();
  private final Sinks.Many<UUID> ready;
  private final Sinks.Many<Delayed> waiting = Sinks.many().unicast().onBackpressureBuffer();
  private final Counter dropped;

  WakeUpQueue(int capacity, Counter dropped) {
    this.capacity = capacity;
    // bounded by the set of queued connections
    this.ready = Sinks.many().unicast().onBackpressureBuffer();
    this.dropped = dropped;
  }

  /** How many connections are queued (not yet handed to the worker). */
  int size() {
    return queued.size();
  }

  /** Queues the connection unless it is queued already; false when it was not queued. */
  boolean offer(UUID connectionId) {
    if (queued.contains(connectionId)) {
      return false; // already queued: that entry will find the pending flag
    }
    if (queued.size() >= capacity) {
      dropped.increment();
      log.debug("wake-up queue full; the pending flag waits for the backstop");
      return false;
    }
    if (!queued.add(connectionId)) {
      return false; // queued concurrently
    }
    if (emit(ready, connectionId)) {
      return true;
    }
    queued.remove(connectionId);
    return false;
  }

  /** Queues the connection after {@code delay}; one timer per connection at a time. */
  boolean offerAfter(UUID connectionId, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      return offer(connectionId);
    }
    if (delayed.size() >= capacity || !delayed.add(connectionId)) {
      if (!delayed.contains(connectionId)) {
        dropped.increment();
      }
      return false;
    }
    if (emit(waiting, new Delayed(connectionId, delay))) {
      return true;
    }
    delayed.remove(connectionId);
    return false;
  }

  /**
   * The connections to look at, in order, for the worker (its demand pulls them out of the queue);
   * a connection may be queued again as soon as it was handed out.
   */
  Flux<UUID> ready() {
    return ready.asFlux().doOnNext(queued::remove);
  }

  /** Runs the delayed wake-ups' timers, each queueing its connection when due. */
  Mono<Void> timers() {
    return waiting
        .asFlux()
        .flatMap(
            d ->
                Mono.delay(d.delay())
                    .doOnNext(
                        tick -> {
                          delayed.remove(d.connectionId());
                          offer(d.connectionId());
                        }),
            Integer.MAX_VALUE)
        .then();
  }

  /** Ends the queue: wake-ups are no longer accepted (their pending flags stay). */
  void close() {
    ready.tryEmitComplete();
    waiting.tryEmitComplete();
  }

  private <T> boolean emit(Sinks.Many<T> sink, T value) {
    Sinks.EmitResult result;
    do {
      result = sink.tryEmitNext(value); // concurrent emitters: retry until serialized
    } while (result == Sinks.EmitResult.FAIL_NON_SERIALIZED);
    if (result.isFailure()) {
      log.debug("wake-up not delivered: {}", result);
    }
    return result.isSuccess();
  }
}
