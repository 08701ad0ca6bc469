package io.calsync.query.readmodel.persistence;

import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.query.readmodel.domain.CurrentRows;
import io.calsync.query.readmodel.domain.Projection;
import io.calsync.query.readmodel.domain.ReadModelProjector;
import io.calsync.query.readmodel.domain.RowChange;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowChange.PutCalendar;
import io.calsync.query.readmodel.domain.RowChange.PutConnection;
import io.calsync.query.readmodel.domain.RowChange.PutEvent;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies a Kafka message to the read model in one transaction: takes the connection's lock, reads
 * the rows the message is about, lets {@link ReadModelProjector} decide, writes what it decided.
 * The lock makes read-decide-write as safe as a conditional upsert: no other message about the same
 * connection (from either topic, or a redelivery during a rebalance) runs in between. Idempotent
 * and order-safe by the projector's rules. After the row writes, {@link Occurrences} brings the
 * materialized occurrences in line, in the same transaction. The changes it applied are announced
 * in the same transaction ({@link ChangeAnnouncer}), so every instance's live streams hear them on
 * commit.
 */
@Component
public class ReadModelWriter {

  private final ConnectionRows connections;
  private final CalendarRows calendars;
  private final EventRows events;
  private final ChangeAnnouncer announcer;
  private final Occurrences occurrences;
  private final TransactionalOperator tx;
  private final Clock clock;
  private final ReadModelProjector projector;

  ReadModelWriter(
      ConnectionRows connections,
      CalendarRows calendars,
      EventRows events,
      ChangeAnnouncer announcer,
      Occurrences occurrences,
      ReactiveTransactionManager transactionManager,
      Clock clock,
      RecurrenceExpander expander) {
    this.connections = connections;
    this.calendars = calendars;
    this.events = events;
    this.announcer = announcer;
    this.occurrences = occurrences;
    this.tx = TransactionalOperator.create(transactionManager);
    this.clock = clock;
    this.projector = new ReadModelProjector(expander);
  }

  public Mono<Void> apply(EventChangeMessage message) {
    UUID connectionId = message.connectionId();
    String eventId = ReadModelProjector.eventIdOf(message);
    Mono<Projection> work =
        connections
            .lock(connectionId)
            .then(optional(connections.find(connectionId)))
            .flatMap(
                connection ->
                    optional(calendars.find(connectionId, message.calendarId()))
                        .flatMap(
                            calendar ->
                                optional(
                                        eventId == null
                                            ? Mono.empty()
                                            : events.find(
                                                connectionId, message.calendarId(), eventId))
                                    .map(
                                        event ->
                                            new CurrentRows(
                                                connection.orElse(null),
                                                calendar.orElse(null),
                                                event.orElse(null)))))
            .map(current -> projector.project(message, current, clock.instant()));
    return tx.transactional(work.flatMap(this::write));
  }

  public Mono<Void> apply(ConnectionMessage message) {
    Mono<Projection> work =
        connections
            .lock(message.connectionId())
            .then(optional(connections.find(message.connectionId())))
            .map(current -> projector.project(message, current.orElse(null), clock.instant()));
    return tx.transactional(work.flatMap(this::write));
  }

  private Mono<Void> write(Projection projection) {
    return Flux.fromIterable(projection.rows())
        .concatMap(this::write)
        .then(occurrences.afterWrites(projection.rows()))
        .thenMany(Flux.fromIterable(projection.changes()))
        .concatMap(announcer::announce)
        .then();
  }

  private Mono<Void> write(RowChange change) {
    if (change instanceof PutConnection c) {
      return connections.put(c.row());
    }
    if (change instanceof PutCalendar c) {
      return calendars.put(c.row());
    }
    if (change instanceof PutEvent c) {
      return events.put(c.row());
    }
    if (change instanceof DeleteEventsOfCalendar c) {
      return events.deleteOfCalendar(c.connectionId(), c.calendarId());
    }
    if (change instanceof DeleteEventsBefore c) {
      return events.deleteBefore(c.connectionId(), c.calendarId(), c.generation());
    }
    if (change instanceof DeleteRowsOfConnection c) {
      return events
          .deleteOfConnection(c.connectionId())
          .then(calendars.deleteOfConnection(c.connectionId()));
    }
    return Mono.error(new IllegalStateException("unknown row change " + change));
  }

  private static <T> Mono<Optional<T>> optional(Mono<T> row) {
    return row.map(Optional::of).defaultIfEmpty(Optional.empty());
  }
}
