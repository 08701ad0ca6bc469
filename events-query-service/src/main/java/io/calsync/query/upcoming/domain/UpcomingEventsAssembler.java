package io.calsync.query.upcoming.domain;

import io.calsync.contract.http.UpcomingEvent;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Builds the upcoming list from occurrences: keeps those that overlap the window, orders by start
 * (an all-day one's first day at midnight in the caller's zone) then id, cuts at the limit and
 * renders in the caller's zone; an event of a free/busy-only calendar is titled {@code busy}. Pure:
 * no I/O, no clock.
 */
public final class UpcomingEventsAssembler {

  static final String PROVIDER = "google";

  /**
   * The title of an event of a calendar shared as free/busy only: Google gives no title (root
   * README, decision "Free/busy-only calendars").
   */
  static final String BUSY = "busy";

  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
  private static final Comparator<Occurrence> ORDER =
      Comparator.comparing(Occurrence::sortKey).thenComparing(Occurrence::id);

  public List<UpcomingEvent> assemble(
      Window window, int limit, Collection<Occurrence> occurrences) {
    return occurrences.stream()
        .filter(o -> overlaps(o, window))
        .map(o -> sortedIn(o, window))
        .sorted(ORDER)
        .limit(limit)
        .map(o -> render(o, window.zone()))
        .toList();
  }

  private static boolean overlaps(Occurrence o, Window window) {
    if (o.start().isDate()) {
      return window.overlaps(o.start().date(), o.end() == null ? null : o.end().date());
    }
    return window.overlaps(o.start().instant(), o.end().instant());
  }

  /** An all-day occurrence begins at midnight of its first day in the caller's zone. */
  private static Occurrence sortedIn(Occurrence o, Window window) {
    return o.start().isDate()
        ? new Occurrence(
            o.id(),
            o.source(),
            o.start(),
            o.end(),
            o.timeZone(),
            o.recurringEventId(),
            window.startOf(o.start().date()))
        : o;
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
    boolean busy = e.freeBusyOnly();
    return new UpcomingEvent(
        o.id(),
        e.connectionId(),
        e.calendarId(),
        e.calendarName(),
        PROVIDER,
        busy ? BUSY : e.title(),
        busy ? null : e.description(),
        busy ? null : e.location(),
        start,
        end,
        allDay,
        o.timeZone(),
        e.status(),
        e.htmlLink(),
        e.color(),
        o.recurringEventId(),
        busy);
  }
}
