package io.calsync.oauth.outbox;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Wakes the relay right after a transaction with outbox rows committed, instead of at its next
 * tick.
 */
@Component
class OutboxNudge {

  private final Sinks.Many<Boolean> sink = Sinks.many().multicast().directBestEffort();

  void nudge() {
    sink.tryEmitNext(Boolean.TRUE); // dropped when the relay is busy: it polls again anyway
  }

  Flux<Boolean> signals() {
    return sink.asFlux();
  }
}
