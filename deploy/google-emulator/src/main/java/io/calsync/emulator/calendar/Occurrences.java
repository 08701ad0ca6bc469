package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Occurrence expansion of one calendar's series: where the rule puts instances in a window (in the
 * series' zone, across DST), resolving an instance id to its series, and an instance's JSON. Holds
 * no state and no lock of its own: {@link CalendarData} calls it with its monitor held.
 */
final class Occurrences {

  private final CalendarData data;

  Occurrences(CalendarData data) {
    this.data = data;
  }

  /** A virtual instance of a live series: where the rule put it. */
  record InstanceRef(StoredEvent series, EventTime start) {}

  /** Resolves {@code <seriesId>_<yyyyMMdd'T'HHmmss'Z'>} or {@code _<yyyyMMdd>}; 404 otherwise. */
  InstanceRef resolveInstance(String eventId) {
    int underscore = eventId.lastIndexOf('_');
    if (underscore <= 0) {
      throw ApiException.notFound();
    }
    StoredEvent series = data.events.get(eventId.substring(0, underscore));
    if (series == null || !series.isSeries() || series.cancelled) {
      throw ApiException.notFound();
    }
    String suffix = eventId.substring(underscore + 1);
    try {
      if (series.start.allDay()) {
        LocalDate date = LocalDate.parse(suffix, EventTime.DATE_SUFFIX);
        for (Occurrence o :
            between(
                series,
                date.atStartOfDay(data.zone).toInstant(),
                date.plusDays(1).atStartOfDay(data.zone).toInstant(),
                Integer.MAX_VALUE,
                true)) {
          if (o.start().date().equals(date)) {
            return new InstanceRef(series, o.start());
          }
        }
      } else {
        Instant at =
            LocalDateTime.parse(
                    suffix, java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                .toInstant(ZoneOffset.UTC);
        for (Occurrence o : between(series, at, at.plusSeconds(1), Integer.MAX_VALUE, true)) {
          if (o.start().dateTime().toInstant().equals(at)) {
            return new InstanceRef(series, o.start());
          }
        }
      }
    } catch (DateTimeParseException e) {
      throw ApiException.notFound();
    }
    throw ApiException.notFound();
  }

  /** One occurrence of a series: the rule's start and the computed end. */
  record Occurrence(EventTime start, EventTime end) {}

  /**
   * Occurrences of a series with start strictly before {@code windowEnd}, and (when {@code
   * byStart}) start at or after {@code windowStart}, otherwise end after it.
   */
  List<Occurrence> between(
      StoredEvent series, Instant windowStart, Instant windowEnd, int limit, boolean byStart) {
    List<Occurrence> result = new ArrayList<>();
    if (series.start.allDay()) {
      long days = ChronoUnit.DAYS.between(series.start.date(), series.end.date());
      LocalDate until = windowEnd.atZone(data.zone).toLocalDate().plusDays(1);
      LocalDate from =
          windowStart == null
              ? null
              : windowStart.atZone(data.zone).toLocalDate().minusDays(days + 1);
      for (LocalDate date :
          series.rule.allDay(series.start.date(), from, until, Recurrence.MAX_OCCURRENCES)) {
        Instant s = date.atStartOfDay(data.zone).toInstant();
        Instant e = date.plusDays(days).atStartOfDay(data.zone).toInstant();
        if (!s.isBefore(windowEnd)) {
          break;
        }
        if (windowStart != null && (byStart ? s.isBefore(windowStart) : !e.isAfter(windowStart))) {
          continue;
        }
        result.add(
            new Occurrence(
                new EventTime(date, null, series.start.timeZone()),
                new EventTime(date.plusDays(days), null, series.end.timeZone())));
        if (result.size() >= limit) {
          break;
        }
      }
      return result;
    }
    ZoneId seriesZone = series.start.zone(data.zone);
    ZoneId endZone = series.end.zone(seriesZone);
    ZonedDateTime first = series.start.dateTime().atZoneSameInstant(seriesZone);
    Duration length = Duration.between(series.start.dateTime(), series.end.dateTime());
    Instant from = windowStart == null ? null : byStart ? windowStart : windowStart.minus(length);
    for (ZonedDateTime s : series.rule.timed(first, from, windowEnd, Recurrence.MAX_OCCURRENCES)) {
      Instant e = s.toInstant().plus(length);
      if (windowStart != null
          && (byStart ? s.toInstant().isBefore(windowStart) : !e.isAfter(windowStart))) {
        continue;
      }
      result.add(
          new Occurrence(
              new EventTime(null, s.toOffsetDateTime(), series.start.timeZone()),
              new EventTime(null, e.atZone(endZone).toOffsetDateTime(), series.end.timeZone())));
      if (result.size() >= limit) {
        break;
      }
    }
    return result;
  }

  ObjectNode instanceJson(StoredEvent series, EventTime originalStart) {
    EventTime start = originalStart;
    EventTime end;
    if (start.allDay()) {
      long days = ChronoUnit.DAYS.between(series.start.date(), series.end.date());
      end = new EventTime(start.date().plusDays(days), null, series.end.timeZone());
    } else {
      Duration length = Duration.between(series.start.dateTime(), series.end.dateTime());
      ZoneId endZone = series.end.zone(series.start.zone(data.zone));
      end =
          new EventTime(
              null,
              start.dateTime().toInstant().plus(length).atZone(endZone).toOffsetDateTime(),
              series.end.timeZone());
    }
    return instanceJson(series, new Occurrence(start, end));
  }

  ObjectNode instanceJson(StoredEvent series, Occurrence occurrence) {
    String instanceId = series.id + "_" + occurrence.start().instanceSuffix();
    ObjectNode node = Json.object();
    for (Map.Entry<String, JsonNode> f : series.json.properties()) {
      switch (f.getKey()) {
        case "recurrence" -> {}
        case "id" -> node.put("id", instanceId);
        case "htmlLink" -> node.put("htmlLink", data.htmlLink(instanceId));
        case "start" -> node.set("start", occurrence.start().toJson());
        case "end" -> node.set("end", occurrence.end().toJson());
        default -> node.set(f.getKey(), f.getValue());
      }
      if (f.getKey().equals("organizer")) {
        node.put("recurringEventId", series.id);
        node.set("originalStartTime", occurrence.start().toJson());
      }
    }
    if (!node.has("recurringEventId")) {
      node.put("recurringEventId", series.id);
      node.set("originalStartTime", occurrence.start().toJson());
    }
    return node;
  }
}
