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

  /**
   * Cap of occurrences one expansion returns where the caller wants them all (ordered listings,
   * events.instances, remembering the instances an edit removed); counted from the window's start,
   * not the series'.
   */
  static final int MAX_OCCURRENCES = 3000;

  /** Cap of rule iterations after the skip to the window (guards sparse rules). */
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
   * The starts (epoch millis) one rule puts at or after {@code fromMillis} and before {@code
   * untilMillis}, ascending, at most {@code wanted}. The iterator skips ahead to the window (a
   * series that started years ago costs no more than one that starts today); COUNT still counts
   * from the series' first instance.
   */
  private static List<Long> ruleStarts(
      RecurrenceRule rule, DateTime start, Long fromMillis, long untilMillis, int wanted) {
    RecurrenceRuleIterator it = rule.iterator(start);
    if (fromMillis != null) {
      it.fastForward(fromMillis);
    }
    List<Long> result = new ArrayList<>();
    int iterations = 0;
    while (it.hasNext() && iterations++ < MAX_ITERATIONS && result.size() < wanted) {
      long millis = it.nextMillis();
      if (millis >= untilMillis) {
        break;
      }
      if (fromMillis == null || millis >= fromMillis) {
        result.add(millis);
      }
    }
    return result;
  }

  /** How many candidates to compute so that {@code limit} remain after the exclusions. */
  private int wanted(int limit) {
    long wanted = (long) limit + exdates.size() * 8L + 10;
    return (int) Math.min(Integer.MAX_VALUE, wanted);
  }

  /**
   * Occurrence starts of a timed series, ascending, at or after {@code from} (null: no lower bound)
   * and strictly before {@code until}, at most {@code limit}.
   */
  List<ZonedDateTime> timed(ZonedDateTime first, Instant from, Instant until, int limit) {
    ZoneId zone = first.getZone();
    TimeZone tz = TimeZone.getTimeZone(zone);
    DateTime start = new DateTime(tz, first.toInstant().toEpochMilli());
    Long fromMillis = from == null ? null : from.toEpochMilli();
    long untilMillis = until.toEpochMilli();
    int wanted = wanted(limit);
    TreeSet<Instant> starts = new TreeSet<>();
    for (RecurrenceRule rule : rules) {
      ruleStarts(rule, start, fromMillis, untilMillis, wanted)
          .forEach(m -> starts.add(Instant.ofEpochMilli(m)));
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
    if (starts.isEmpty()) {
      return List.of();
    }
    Set<Instant> excluded = new HashSet<>();
    for (String exdate : exdates) {
      for (ParsedDate d : values(exdate, zone)) {
        excluded.add(d.instant(first));
      }
    }
    long lastCandidate = starts.last().toEpochMilli() + 1;
    for (RecurrenceRule rule : exRules) {
      ruleStarts(rule, start, fromMillis, lastCandidate, Integer.MAX_VALUE)
          .forEach(m -> excluded.add(Instant.ofEpochMilli(m)));
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
   * The dates one rule of an all-day series puts on or after {@code from} and before {@code until},
   * ascending, at most {@code wanted} (skipping ahead to the window, as {@link #ruleStarts}).
   */
  private static List<LocalDate> ruleDates(
      RecurrenceRule rule, DateTime start, LocalDate from, LocalDate until, int wanted) {
    RecurrenceRuleIterator it = rule.iterator(start);
    if (from != null) {
      it.fastForward(new DateTime(from.getYear(), from.getMonthValue() - 1, from.getDayOfMonth()));
    }
    List<LocalDate> result = new ArrayList<>();
    int iterations = 0;
    while (it.hasNext() && iterations++ < MAX_ITERATIONS && result.size() < wanted) {
      DateTime next = it.nextDateTime();
      LocalDate date = LocalDate.of(next.getYear(), next.getMonth() + 1, next.getDayOfMonth());
      if (!date.isBefore(until)) {
        break;
      }
      if (from == null || !date.isBefore(from)) {
        result.add(date);
      }
    }
    return result;
  }

  /**
   * Occurrence dates of an all-day series, ascending, at or after {@code from} (null: no lower
   * bound) and strictly before {@code until}, at most {@code limit}.
   */
  List<LocalDate> allDay(LocalDate first, LocalDate from, LocalDate until, int limit) {
    DateTime start =
        new DateTime(first.getYear(), first.getMonthValue() - 1, first.getDayOfMonth());
    int wanted = wanted(limit);
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (RecurrenceRule rule : rules) {
      dates.addAll(ruleDates(rule, start, from, until, wanted));
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
    if (dates.isEmpty()) {
      return List.of();
    }
    Set<LocalDate> excluded = new HashSet<>();
    for (String exdate : exdates) {
      for (ParsedDate d : values(exdate, ZoneOffset.UTC)) {
        excluded.add(d.day());
      }
    }
    for (RecurrenceRule rule : exRules) {
      excluded.addAll(ruleDates(rule, start, from, dates.last().plusDays(1), Integer.MAX_VALUE));
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
