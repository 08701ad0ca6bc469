package io.calsync.query.stream;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The fan-out of this instance between {@link NotificationListener} (which hears every committed
 * change of every instance on the database's notification channel) and the live streams (which
 * subscribe per user). Multicast, best effort: with no subscriber a change is dropped, and a
 * subscriber that cannot keep up loses changes rather than slowing the others; a dashboard re-reads
 * the upcoming list on any change and on reconnect anyway.
 *
 * <p>When the listener loses its connection, and again when it listens anew, it {@link #interrupt
 * interrupts}: every stream open at that moment may have missed changes, so it ends, and the client
 * reconnects and re-reads the list (the contract has no "resync" event; an ended stream is what
 * every client already handles, as at token expiry).
 */
@Component
class ReadModelChanges {

  private final Sinks.Many<ReadModelChange> sink = Sinks.many().multicast().directBestEffort();
  private final Sinks.Many<Boolean> interruptions = Sinks.many().multicast().directBestEffort();

  /** Serialized because a sink accepts one emitter at a time. */
  synchronized void publish(ReadModelChange change) {
    sink.tryEmitNext(change);
  }

  /** Changes may have been missed: every stream open now ends. */
  synchronized void interrupt() {
    interruptions.tryEmitNext(Boolean.TRUE);
  }

  /** Every change of {@code userId} from now on. */
  Flux<ReadModelChange> of(String userId) {
    return sink.asFlux().filter(change -> userId.equals(change.userId()));
  }

  /** Completes at the next {@link #interrupt()}. */
  Mono<Void> nextInterruption() {
    return interruptions.asFlux().next().then();
  }
}
