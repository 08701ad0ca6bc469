package io.calsync.query.readmodel.persistence;

import io.calsync.query.readmodel.domain.BatchPlan;
import io.calsync.query.readmodel.domain.BatchPlan.Delete;
import io.calsync.query.readmodel.domain.BatchPlan.Puts;
import io.calsync.query.readmodel.domain.BatchPlan.Step;
import io.calsync.query.readmodel.domain.BatchProjector;
import io.calsync.query.readmodel.domain.ReadModelProjector;
import io.calsync.query.readmodel.domain.RowChange;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsBefore;
import io.calsync.query.readmodel.domain.RowChange.DeleteEventsOfCalendar;
import io.calsync.query.readmodel.domain.RowChange.DeleteRowsOfConnection;
import io.calsync.query.readmodel.domain.RowKeys;
import io.calsync.query.readmodel.domain.StoredRows;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies a batch of Kafka messages (of one poll) to the read model in one transaction: takes the
 * locks of all the batch's connections (in a fixed order), reads every row the batch is about with
 * one select per table, lets {@link BatchProjector} run the rules over the messages in order in
 * memory, and writes the net result with one multi-row upsert per table between bulk deletes. The
 * locks make read-decide-write as safe as conditional upserts: no other batch about the same
 * connections (from either topic, another instance, or a redelivery during a rebalance) runs in
 * between. Idempotent and order-safe by the projector's rules. After the row writes, {@link
 * Occurrences} brings the materialized occurrences in line, in the same transaction. The changes it
 * applied are announced in the same transaction ({@link ChangeAnnouncer}), so every instance's live
 * streams hear them on commit.
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
  private final BatchProjector projector;

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
    this.projector = new BatchProjector(new ReadModelProjector(expander));
  }

  /**
   * How much of a batch was applied: the first {@code count} messages; {@code failure} is why the
   * next one can never be (null when all were).
   */
  public record Applied(int count, RuntimeException failure) {}

  /**
   * Applies the messages ({@code EventChangeMessage}s or {@code ConnectionMessage}s) in one
   * transaction, up to the first one the projector refuses. A failure of the database rolls back
   * the whole batch.
   */
  public Mono<Applied> apply(List<?> messages) {
    if (messages.isEmpty()) {
      return Mono.just(new Applied(0, null));
    }
    RowKeys keys = BatchProjector.keysOf(messages);
    Mono<Applied> work =
        connections
            .lock(keys.connections())
            .then(read(keys))
            .map(stored -> projector.project(messages, stored, clock.instant()))
            .flatMap(plan -> write(plan).thenReturn(new Applied(plan.projected(), plan.failure())));
    return tx.transactional(work);
  }

  private Mono<StoredRows> read(RowKeys keys) {
    // one after the other on the transaction's connection
    return connections
        .find(keys.connections())
        .collectList()
        .flatMap(
            c ->
                calendars
                    .find(keys.calendars())
                    .collectList()
                    .flatMap(
                        cal ->
                            events
                                .find(keys.events())
                                .collectList()
                                .map(e -> new StoredRows(c, cal, e))));
  }

  /**
   * The one place where a transaction's row changes are written and known ({@code plan.applied()},
   * in order): whatever else must follow the row writes in the same transaction goes between the
   * steps and the announcements.
   */
  private Mono<Void> write(BatchPlan plan) {
    return Flux.fromIterable(plan.steps())
        .concatMap(this::write)
        .then(Mono.defer(() -> occurrences.afterWrites(plan.applied())))
        .then(Mono.defer(() -> announcer.announce(plan.changes())));
  }

  private Mono<Void> write(Step step) {
    if (step instanceof Puts puts) {
      return connections
          .put(puts.connections())
          .then(calendars.put(puts.calendars()))
          .then(events.put(puts.events()));
    }
    RowChange change = ((Delete) step).change();
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
}
