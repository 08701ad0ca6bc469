package io.calsync.query.readmodel.domain;

import io.calsync.query.stream.ReadModelChange;
import java.util.List;

/**
 * What a batch of messages does to the read model, decided in memory by {@link BatchProjector}.
 *
 * @param steps the writes, in order: net puts (each row once, as the batch left it) and the bulk
 *     deletes between them, which must run after the puts before them
 * @param applied every row change the projector decided, message after message, in order (a row put
 *     twice is in it twice)
 * @param changes the changes to announce once the writes committed, in order
 * @param projected how many messages (from the first) the plan covers
 * @param failure why message {@code projected} cannot ever be applied ({@link
 *     IllegalArgumentException} of the projector), null when the plan covers the whole batch
 */
public record BatchPlan(
    List<Step> steps,
    List<RowChange> applied,
    List<ReadModelChange> changes,
    int projected,
    RuntimeException failure) {

  public BatchPlan {
    steps = List.copyOf(steps);
    applied = List.copyOf(applied);
    changes = List.copyOf(changes);
  }

  /** One write of a plan. */
  public sealed interface Step {}

  /** Insert or overwrite these rows (one per key, in the order first put). */
  public record Puts(
      List<ConnectionRow> connections, List<CalendarRow> calendars, List<EventRow> events)
      implements Step {

    public Puts {
      connections = List.copyOf(connections);
      calendars = List.copyOf(calendars);
      events = List.copyOf(events);
    }
  }

  /**
   * A bulk delete ({@link RowChange.DeleteEventsOfCalendar}, {@link RowChange.DeleteEventsBefore}
   * or {@link RowChange.DeleteRowsOfConnection}).
   */
  public record Delete(RowChange change) implements Step {}
}
