package io.calsync.query.upcoming.domain;

import io.calsync.contract.http.UpcomingEvent;
import io.calsync.query.upcoming.domain.SeriesException.SeriesKey;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the upcoming list from stored rows: expands masters, lets exceptions stand in for the
 * instances they replace, keeps what overlaps the window, orders by start then id and cuts at the
 * limit. Pure: no I/O, no clock.
 */
public final class UpcomingEventsAssembler {

  static final String PROVIDER = "google";
  private static final Logger log = LoggerFactory.getLogger(UpcomingEventsAssembler.class);
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
  private static final Comparator<Occurrence> ORDER =
      Comparator.comparing(Occurrence::sortKey).thenComparing(Occurrence::id);

  private final RecurrenceExpander expander;

  public UpcomingEventsAssembler(RecurrenceExpander expander) {
    this.expander = expander;
  }

  public List<UpcomingEvent> assemble(
      Window window,
      int limit,
      Collection<StoredEvent> singles,
      Collection<StoredEvent> masters,
      Collection<SeriesException> exceptions) {
    Map<SeriesKey, Set<Object>> replaced = new HashMap<>();
    for (SeriesException e : exceptions) {
      if (e.originalStart() != null) {
        replaced.computeIfAbsent(e.series(), k -> new HashSet<>()).add(e.originalStart());
      }
    }
    List<Occurrence> all = new ArrayList<>();
    for (StoredEvent single : singles) {
      Occurrence occurrence = single(single, window);
      if (occurrence != null) {
        all.add(occurrence);
      }
    }
    for (StoredEvent master : masters) {
      Set<Object> skip = replaced.getOrDefault(SeriesKey.of(master), Set.of());
      try {
        all.addAll(expander.expand(master, window, skip, limit));
      } catch (RecurrenceExpander.InvalidRecurrenceException e) {
        log.warn(
            "Series {} has an unreadable recurrence; showing its first instance only",
            master.eventId(),
            e);
        Occurrence occurrence = single(master, window);
        if (occurrence != null) {
          all.add(occurrence);
        }
      }
    }
    all.sort(ORDER);
    return all.stream().limit(limit).map(o -> render(o, window.zone())).toList();
  }

  /** A stored single event or exception as an occurrence, or null when it misses the window. */
  static Occurrence single(StoredEvent event, Window window) {
    When start = event.start();
    When end = event.end() != null ? event.end() : start;
    if (start == null) {
      return null;
    }
    String zone = start.timeZone() != null ? start.timeZone() : event.calendarTimeZone();
    if (start.isDate()) {
      if (!window.overlaps(start.date(), end.date())) {
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
    if (!window.overlaps(start.instant(), endInstant)) {
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

  static UpcomingEvent render(Occurrence o, ZoneId zone) {
    StoredEvent e = o.source();
    boolean allDay = o.start().isDate();
    String start =
        allDay ? o.start().date().toString() : RFC3339.format(o.start().instant().atZone(zone));
    String end;
    if (allDay) {
      end =
          (o.end() != null && o.end().isDate() && o.end().date().isAfter(o.start().date())
                  ? o.end().date()
                  : o.start().date().plusDays(1))
              .toString();
    } else {
      end = RFC3339.format(o.end().instant().atZone(zone));
    }
    return new UpcomingEvent(
        o.id(),
        e.connectionId(),
        e.calendarId(),
        e.calendarName(),
        PROVIDER,
        e.title(),
        e.description(),
        e.location(),
        start,
        end,
        allDay,
        o.timeZone(),
        e.status(),
        e.htmlLink(),
        e.color(),
        o.recurringEventId());
  }
}
