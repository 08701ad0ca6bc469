package io.calsync.sync.google;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.sync.model.CalendarAttributes;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Google's model → the platform's: an {@link Event} → the contract's {@link EventPayload}, a {@link
 * CalendarListEntry} → {@link CalendarAttributes}. All-day dates stay {@link LocalDate}s: the Java
 * client parses {@code date} into a {@link DateTime} whose epoch value is UTC midnight, which must
 * never be turned into an instant (west of UTC it would be the day before); its RFC 3339 text,
 * {@code yyyy-MM-dd}, is read instead. Date-times keep the offset Google sent.
 */
final class EventMapper {

  private EventMapper() {}

  /** The user's own name for the calendar wins over Google's. */
  static CalendarAttributes attributes(CalendarListEntry e) {
    String name = e.getSummaryOverride() != null ? e.getSummaryOverride() : e.getSummary();
    return new CalendarAttributes(
        e.getId(),
        name,
        e.getBackgroundColor(),
        e.getTimeZone(),
        e.getAccessRole(),
        Boolean.TRUE.equals(e.getPrimary()));
  }

  static EventPayload payload(Event e) {
    List<String> recurrence = e.getRecurrence() == null ? null : List.copyOf(e.getRecurrence());
    return new EventPayload(
        e.getId(),
        e.getStatus() == null ? "confirmed" : e.getStatus(),
        e.getSummary(),
        e.getDescription(),
        e.getLocation(),
        time(e.getStart()),
        time(e.getEnd()),
        recurrence,
        e.getRecurringEventId(),
        time(e.getOriginalStartTime()),
        e.getHtmlLink(),
        dateTime(e.getUpdated()),
        e.getEtag(),
        e.getICalUID());
  }

  static EventTime time(EventDateTime t) {
    if (t == null) {
      return null;
    }
    if (t.getDate() != null) {
      return new EventTime(null, date(t.getDate()), t.getTimeZone());
    }
    if (t.getDateTime() != null) {
      return new EventTime(dateTime(t.getDateTime()), null, t.getTimeZone());
    }
    return null;
  }

  static LocalDate date(DateTime d) {
    String text = d.toStringRfc3339();
    return LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text);
  }

  static OffsetDateTime dateTime(DateTime d) {
    return d == null ? null : OffsetDateTime.parse(d.toStringRfc3339());
  }
}
