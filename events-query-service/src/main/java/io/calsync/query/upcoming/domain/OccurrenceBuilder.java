package io.calsync.query.upcoming.domain;

import io.calsync.query.upcoming.domain.SeriesException.SeriesKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored rows into the occurrences a user sees: expands series masters over a window, lets
 * exceptions stand in for the instances they replace, and keeps single events and exceptions that
 * overlap the window. A series with an unreadable rule shows its first instance only. Pure: no I/O,
 * no clock.
 */
public final class OccurrenceBuilder {

  private static final Logger log = LoggerFactory.getLogger(OccurrenceBuilder.class);

  private final RecurrenceExpander expander;

  public OccurrenceBuilder(RecurrenceExpander expander) {
    this.expander = expander;
  }

  /**
   * The occurrences of {@code singles} and {@code masters} that overlap {@code window}; an instance
   * whose original start an entry of {@code exceptions} names is left out (that row, if visible, is
   * among the singles). Single rows are kept however far after the window they start, as nothing
   * re-expands them; only instances of series are bounded by the window's end.
   */
  public Plan build(
      Window window,
      Collection<StoredEvent> singles,
      Collection<StoredEvent> masters,
      Collection<SeriesException> exceptions) {
    Map<SeriesKey, Set<Object>> replaced = new HashMap<>();
    for (SeriesException e : exceptions) {
      if (e.originalStart() != null) {
        replaced.computeIfAbsent(e.series(), k -> new HashSet<>()).add(e.originalStart());
      }
    }
    Window open = new Window(window.from(), window.from().plusYears(1000));
    List<Occurrence> all = new ArrayList<>();
    for (StoredEvent single : singles) {
      Occurrence occurrence = single(single, window, open);
      if (occurrence != null) {
        all.add(occurrence);
      }
    }
    Instant until = null;
    for (StoredEvent master : masters) {
      Set<Object> skip = replaced.getOrDefault(SeriesKey.of(master), Set.of());
      try {
        RecurrenceExpander.Expansion expansion = expander.expand(master, window, skip);
        all.addAll(expansion.occurrences());
        if (expansion.expandedUntil() != null
            && (until == null || expansion.expandedUntil().isBefore(until))) {
          until = expansion.expandedUntil();
        }
      } catch (RecurrenceExpander.InvalidRecurrenceException e) {
        log.warn(
            "Series {} has an unreadable recurrence; showing its first instance only",
            master.eventId(),
            e);
        Occurrence occurrence = single(master, window, open);
        if (occurrence != null) {
          all.add(occurrence);
        }
      }
    }
    return new Plan(all, until);
  }

  /**
   * The occurrences built, and up to when the series among them are expanded: the earliest of their
   * expansions' ends, or null when no series has an instance after what was built.
   */
  public record Plan(List<Occurrence> occurrences, Instant expandedUntil) {}

  /**
   * A stored single event or exception as an occurrence, or null when it ends before the window
   * starts. Its sort key is its start (an all-day one's first day at midnight in {@code window}'s
   * zone).
   */
  private static Occurrence single(StoredEvent event, Window window, Window open) {
    When start = event.start();
    When end = event.end() != null ? event.end() : start;
    if (start == null) {
      return null;
    }
    String zone = start.timeZone() != null ? start.timeZone() : event.calendarTimeZone();
    if (start.isDate()) {
      if (!open.overlaps(start.date(), end.date())) {
        return null;
      }
      return new Occurrence(
          event.eventId(),
          event,
          start,
          end,
          zone,
          event.recurringEventId(),
          window.startOf(start.date()));
    }
    if (start.instant() == null) {
      return null;
    }
    Instant endInstant = end.instant() != null ? end.instant() : start.instant();
    if (!open.overlaps(start.instant(), endInstant)) {
      return null;
    }
    return new Occurrence(
        event.eventId(),
        event,
        start,
        When.timed(endInstant, end.offset(), end.timeZone()),
        zone,
        event.recurringEventId(),
        start.instant());
  }
}
