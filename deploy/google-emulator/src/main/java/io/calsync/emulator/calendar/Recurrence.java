package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * Expands a series' {@code recurrence} lines (RRULE, EXRULE, RDATE, EXDATE; RFC 5545, via
 * lib-recur) in the series' time zone into occurrence starts.
 */
final class Recurrence {

  /** Hard cap of occurrences a single expansion returns. */
  static final int MAX_OCCURRENCES = 3000;

  /** Hard cap of rule iterations (guards sparse rules). */
  private static final int MAX_ITERATIONS = 20000;

  private static final DateTimeFormatter BASIC_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  private static final DateTimeFormatter BASIC_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

  private final List<RecurrenceRule> rules = new ArrayList<>();
  private final List<RecurrenceRule> exRules = new ArrayList<>();
  private final List<String> rdates = new ArrayList<>();
  private final List<String> exdates = new ArrayList<>();

  private Recurrence() {}

  /** Parses and validates the lines; 400 invalid on a malformed line. */
  static Recurrence parse(List<String> lines) {
    Recurrence recurrence = new Recurrence();
    for (String raw : lines) {
      String line = raw.trim();
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw invalid();
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1);
      String prop = name.contains(";") ? name.substring(0, name.indexOf(';')) : name;
      try {
        switch (prop.toUpperCase()) {
          case "RRULE" ->
              recurrence.rules.add(new RecurrenceRule(value, RecurrenceRule.RfcMode.RFC5545_LAX));
          case "EXRULE" ->
              recurrence.exRules.add(new RecurrenceRule(value, RecurrenceRule.RfcMode.RFC5545_LAX));
          case "RDATE" -> recurrence.rdates.add(line);
          case "EXDATE" -> recurrence.exdates.add(line);
          default -> throw invalid();
        }
      } catch (InvalidRecurrenceRuleException e) {
        throw invalid();
      }
    }
    return recurrence;
  }

  private static ApiException invalid() {
    return ApiException.badRequest("invalid", "Invalid recurrence rule.", null);
  }

  /**
   * Occurrence starts of a timed series, ascending, at or after {@code from} (null: no lower bound)
   * and strictly before {@code until}, at most {@code limit}.
   */
  List<ZonedDateTime> timed(ZonedDateTime first, Instant from, Instant until, int limit) {
    ZoneId zone = first.getZone();
    TimeZone tz = TimeZone.getTimeZone(zone);
    TreeSet<Instant> starts = new TreeSet<>();
    DateTime start = new DateTime(tz, first.toInstant().toEpochMilli());
    for (RecurrenceRule rule : rules) {
      RecurrenceRuleIterator it = rule.iterator(start);
      int iterations = 0;
      while (it.hasNext() && iterations++ < MAX_ITERATIONS && starts.size() < limit * 2 + 10) {
        long millis = it.nextMillis();
        if (millis >= until.toEpochMilli()) {
          break;
        }
        if (from == null || millis >= from.toEpochMilli()) {
          starts.add(Instant.ofEpochMilli(millis));
        }
      }
    }
    if (rules.isEmpty()
        && first.toInstant().isBefore(until)
        && (from == null || !first.toInstant().isBefore(from))) {
      starts.add(first.toInstant());
    }
    for (String rdate : rdates) {
      for (ParsedDate d : values(rdate, zone)) {
        Instant at = d.instant(first);
        if (at.isBefore(until) && (from == null || !at.isBefore(from))) {
          starts.add(at);
        }
      }
    }
    Set<Instant> excluded = new HashSet<>();
    for (String exdate : exdates) {
      for (ParsedDate d : values(exdate, zone)) {
        excluded.add(d.instant(first));
      }
    }
    for (RecurrenceRule rule : exRules) {
      RecurrenceRuleIterator it = rule.iterator(start);
      int iterations = 0;
      while (it.hasNext() && iterations++ < MAX_ITERATIONS) {
        long millis = it.nextMillis();
        if (millis >= until.toEpochMilli()) {
          break;
        }
        excluded.add(Instant.ofEpochMilli(millis));
      }
    }
    List<ZonedDateTime> result = new ArrayList<>();
    for (Instant at : starts) {
      if (!excluded.contains(at)) {
        result.add(at.atZone(zone));
        if (result.size() >= limit) {
          break;
        }
      }
    }
    return result;
  }

  /**
   * Occurrence dates of an all-day series, ascending, at or after {@code from} (null: no lower
   * bound) and strictly before {@code until}, at most {@code limit}.
   */
  List<LocalDate> allDay(LocalDate first, LocalDate from, LocalDate until, int limit) {
    TreeSet<LocalDate> dates = new TreeSet<>();
    DateTime start =
        new DateTime(first.getYear(), first.getMonthValue() - 1, first.getDayOfMonth());
    for (RecurrenceRule rule : rules) {
      RecurrenceRuleIterator it = rule.iterator(start);
      int iterations = 0;
      while (it.hasNext() && iterations++ < MAX_ITERATIONS && dates.size() < limit * 2 + 10) {
        DateTime next = it.nextDateTime();
        LocalDate date = LocalDate.of(next.getYear(), next.getMonth() + 1, next.getDayOfMonth());
        if (!date.isBefore(until)) {
          break;
        }
        if (from == null || !date.isBefore(from)) {
          dates.add(date);
        }
      }
    }
    if (rules.isEmpty() && first.isBefore(until) && (from == null || !first.isBefore(from))) {
      dates.add(first);
    }
    for (String rdate : rdates) {
      for (ParsedDate d : values(rdate, ZoneOffset.UTC)) {
        LocalDate date = d.day();
        if (date.isBefore(until) && (from == null || !date.isBefore(from))) {
          dates.add(date);
        }
      }
    }
    Set<LocalDate> excluded = new HashSet<>();
    for (String exdate : exdates) {
      for (ParsedDate d : values(exdate, ZoneOffset.UTC)) {
        excluded.add(d.day());
      }
    }
    for (RecurrenceRule rule : exRules) {
      RecurrenceRuleIterator it = rule.iterator(start);
      int iterations = 0;
      while (it.hasNext() && iterations++ < MAX_ITERATIONS) {
        DateTime next = it.nextDateTime();
        LocalDate date = LocalDate.of(next.getYear(), next.getMonth() + 1, next.getDayOfMonth());
        if (!date.isBefore(until)) {
          break;
        }
        excluded.add(date);
      }
    }
    List<LocalDate> result = new ArrayList<>();
    for (LocalDate date : dates) {
      if (!excluded.contains(date)) {
        result.add(date);
        if (result.size() >= limit) {
          break;
        }
      }
    }
    return result;
  }

  /** One RDATE/EXDATE value: a UTC instant, a floating local date-time in a zone, or a date. */
  private record ParsedDate(Instant utc, LocalDateTime local, ZoneId zone, LocalDate date) {

    Instant instant(ZonedDateTime seriesStart) {
      if (utc != null) {
        return utc;
      }
      if (local != null) {
        return local.atZone(zone).toInstant();
      }
      return date.atTime(seriesStart.toLocalTime()).atZone(seriesStart.getZone()).toInstant();
    }

    LocalDate day() {
      if (date != null) {
        return date;
      }
      if (local != null) {
        return local.toLocalDate();
      }
      return utc.atZone(ZoneOffset.UTC).toLocalDate();
    }
  }

  private static List<ParsedDate> values(String line, ZoneId seriesZone) {
    int colon = line.indexOf(':');
    String params = line.substring(0, colon);
    ZoneId zone = seriesZone;
    for (String param : params.split(";")) {
      if (param.toUpperCase().startsWith("TZID=")) {
        try {
          zone = ZoneId.of(param.substring(5));
        } catch (RuntimeException e) {
          throw invalid();
        }
      }
    }
    List<ParsedDate> result = new ArrayList<>();
    for (String value : line.substring(colon + 1).split(",")) {
      String v = value.trim();
      if (v.isEmpty()) {
        continue;
      }
      try {
        if (v.endsWith("Z")) {
          LocalDateTime local =
              LocalDateTime.parse(v.substring(0, v.length() - 1), BASIC_DATE_TIME);
          result.add(new ParsedDate(local.toInstant(ZoneOffset.UTC), null, null, null));
        } else if (v.contains("T")) {
          result.add(new ParsedDate(null, LocalDateTime.parse(v, BASIC_DATE_TIME), zone, null));
        } else {
          result.add(new ParsedDate(null, null, null, LocalDate.parse(v, BASIC_DATE)));
        }
      } catch (DateTimeParseException e) {
        throw invalid();
      }
    }
    return result;
  }
}
