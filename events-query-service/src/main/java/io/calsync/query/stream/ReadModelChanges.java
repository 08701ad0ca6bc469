package io.calsync.query.stream;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The in-process bus between the Kafka listeners (which publish after commit) and the live streams
 * (which subscribe per user). Multicast, best effort: with no subscriber a change is dropped, and a
 * subscriber that cannot keep up loses changes rather than slowing the listeners; a dashboard
 * re-reads the upcoming list on any change anyway.
 */
@Component
public class ReadModelChanges {

  private final Sinks.Many<ReadModelChange> sink = Sinks.many().multicast().directBestEffort();

  /** Called from listener threads; serialized because a sink accepts one emitter at a time. */
  public synchronized void publish(ReadModelChange change) {
    sink.tryEmitNext(change);
  }

  /** Every change of {@code userId} from now on. */
  public Flux<ReadModelChange> of(String userId) {
    return sink.asFlux().filter(change -> userId.equals(change.userId()));
  }
}
