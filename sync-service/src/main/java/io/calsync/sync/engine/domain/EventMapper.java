package io.calsync.sync.engine.domain;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Google's {@link Event} → the contract's {@link EventPayload}. All-day dates stay {@link
 * LocalDate}s: the Java client parses {@code date} into a {@link DateTime} whose epoch value is UTC
 * midnight, which must never be turned into an instant (facts §3, "Java quirks"); its RFC 3339
 * text, {@code yyyy-MM-dd}, is read instead. Date-times keep the offset Google sent.
 */
public final class EventMapper {

  public static final String CANCELLED = "cancelled";

  private EventMapper() {}

  public static boolean cancelled(Event e) {
    return CANCELLED.equals(e.getStatus());
  }

  public static EventPayload payload(Event e) {
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
