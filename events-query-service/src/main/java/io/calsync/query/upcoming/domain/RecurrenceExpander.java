package io.calsync.query.upcoming.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.RecurrenceSet;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recurrenceset.Difference;
import org.dmfs.rfc5545.recurrenceset.FastForwarded;
import org.dmfs.rfc5545.recurrenceset.Merged;
import org.dmfs.rfc5545.recurrenceset.OfList;
import org.dmfs.rfc5545.recurrenceset.OfRule;

/**
 * Expands a series master into the instances that overlap a window, with lib-recur (RFC 5545 {@code
 * RRULE}, {@code EXRULE}, {@code RDATE}, {@code EXDATE}). Rules run in the series' time zone, so a
 * 10:00 weekly meeting stays at 10:00 local time across a DST change; all-day series run on dates.
 * Only the iCalendar content-line framing ({@code NAME;PARAM=x:value}) is split here; rule
 * semantics are the library's.
 */
public final class RecurrenceExpander {

  private static final DateTimeFormatter TIMED_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_ID = DateTimeFormatter.BASIC_ISO_DATE;

  private final int maxIterations;

  public RecurrenceExpander(int maxIterations) {
    this.maxIterations = maxIterations;
  }

  /**
   * The master's instances overlapping {@code window}, in order, without those whose original start
   * is in {@code replaced} (an {@link Instant} for timed series, a {@link LocalDate} for all-day
   * ones): an exception row stands in for them. Iteration starts at the window (lib-recur's
   * fast-forward), not at the series' first instance, and stops after the iteration bound.
   *
   * @throws InvalidRecurrenceException when the recurrence cannot be read
   */
  public Expansion expand(StoredEvent master, Window window, Set<Object> replaced) {
    ZoneId zone = seriesZone(master);
    TimeZone timeZone = TimeZone.getTimeZone(zone);
    boolean allDay = master.start().isDate();
    DateTime first = first(master, zone, timeZone);
    Duration length = allDay ? Duration.ZERO : length(master);
    long days = allDay ? days(master) : 1;
    RecurrenceSet set = recurrenceSet(master.recurrence(), first, timeZone, allDay);
    DateTime skipTo =
        allDay
            ? date(window.firstDate().minusDays(days))
            : new DateTime(window.fromInstant().minus(length).toEpochMilli());
    List<Occurrence> out = new ArrayList<>();
    int iterations = 0;
    String zoneId = zone.getId();
    try {
      for (DateTime instance : new FastForwarded(skipTo, set)) {
        if (++iterations > maxIterations) {
          return new Expansion(out, startOf(instance, allDay));
        }
        if (allDay) {
          LocalDate date =
              LocalDate.of(instance.getYear(), instance.getMonth() + 1, instance.getDayOfMonth());
          if (date.isAfter(window.lastDate())) {
            return new Expansion(out, window.toInstant());
          }
          LocalDate end = date.plusDays(days);
          if (window.overlaps(date, end) && !replaced.contains(date)) {
            out.add(
                new Occurrence(
                    master.eventId() + "_" + DATE_ID.format(date),
                    master,
                    When.allDay(date, zoneId),
                    When.allDay(end, zoneId),
                    zoneId,
                    master.eventId(),
                    window.startOf(date)));
          }
        } else {
          Instant start = Instant.ofEpochMilli(instance.getTimestamp());
          if (!start.isBefore(window.toInstant())) {
            return new Expansion(out, window.toInstant());
          }
          Instant end = start.plus(length);
          if (window.overlaps(start, end) && !replaced.contains(start)) {
            out.add(
                new Occurrence(
                    master.eventId() + "_" + TIMED_ID.format(start),
                    master,
                    When.timed(start, zone.getRules().getOffset(start), zoneId),
                    When.timed(end, zone.getRules().getOffset(end), zoneId),
                    zoneId,
                    master.eventId(),
                    start));
          }
        }
      }
    } catch (RuntimeException e) {
      throw new InvalidRecurrenceException(master.eventId(), e);
    }
    return new Expansion(out, null);
  }

  /**
   * The instances of one expansion, and up to when they are complete: the window's end, where the
   * iteration bound stopped it, or null when the rule has no instance after them.
   */
  public record Expansion(List<Occurrence> occurrences, Instant expandedUntil) {}

  private static Instant startOf(DateTime instance, boolean allDay) {
    return allDay
        ? LocalDate.of(instance.getYear(), instance.getMonth() + 1, instance.getDayOfMonth())
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
        : Instant.ofEpochMilli(instance.getTimestamp());
  }

  /** Whether a series has no usable zone of its own and expands in its calendar's. */
  public static boolean usesCalendarZone(StoredEvent master) {
    String own = master.start() == null ? null : master.start().timeZone();
    if (own == null || own.isBlank()) {
      return true;
    }
    try {
      ZoneId.of(own);
      return false;
    } catch (DateTimeException e) {
      return true;
    }
  }

  /**
   * Where a finite series ends: the end of its last instance (an {@link Instant} for timed series,
   * the exclusive end {@link LocalDate} for all-day ones), or null when it is endless, longer than
   * the iteration bound, or unreadable.
   */
  public Object seriesEnd(StoredEvent master) {
    try {
      ZoneId zone = seriesZone(master);
      TimeZone timeZone = TimeZone.getTimeZone(zone);
      boolean allDay = master.start().isDate();
      DateTime first = first(master, zone, timeZone);
      RecurrenceSet set = recurrenceSet(master.recurrence(), first, timeZone, allDay);
      if (set.isInfinite()) {
        return null;
      }
      DateTime last = null;
      int iterations = 0;
      for (DateTime instance : set) {
        if (++iterations > maxIterations) {
          return null;
        }
        last = instance;
      }
      if (last == null) {
        return null;
      }
      if (allDay) {
        return LocalDate.of(last.getYear(), last.getMonth() + 1, last.getDayOfMonth())
            .plusDays(days(master));
      }
      return Instant.ofEpochMilli(last.getTimestamp()).plus(length(master));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static DateTime first(StoredEvent master, ZoneId zone, TimeZone timeZone) {
    if (master.start().isDate()) {
      LocalDate start = master.start().date();
      return new DateTime(start.getYear(), start.getMonthValue() - 1, start.getDayOfMonth());
    }
    ZonedDateTime start = master.start().instant().atZone(zone);
    return new DateTime(
        timeZone,
        start.getYear(),
        start.getMonthValue() - 1,
        start.getDayOfMonth(),
        start.getHour(),
        start.getMinute(),
        start.getSecond());
  }

  private static long days(StoredEvent master) {
    LocalDate start = master.start().date();
    if (master.end() != null && master.end().isDate() && master.end().date().isAfter(start)) {
      return ChronoUnit.DAYS.between(start, master.end().date());
    }
    return 1;
  }

  private static Duration length(StoredEvent master) {
    if (master.end() != null && master.end().instant() != null) {
      Duration d = Duration.between(master.start().instant(), master.end().instant());
      return d.isNegative() ? Duration.ZERO : d;
    }
    return Duration.ZERO;
  }

  /** The zone a series expands in: its start's zone, else its calendar's, else its offset. */
  static ZoneId seriesZone(StoredEvent master) {
    for (String candidate : new String[] {master.start().timeZone(), master.calendarTimeZone()}) {
      if (candidate != null && !candidate.isBlank()) {
        try {
          return ZoneId.of(candidate);
        } catch (DateTimeException ignored) {
          // fall through to the next candidate
        }
      }
    }
    return master.start().offset() != null ? master.start().offset() : ZoneOffset.UTC;
  }

  private static RecurrenceSet recurrenceSet(
      List<String> lines, DateTime first, TimeZone zone, boolean allDay) {
    List<RecurrenceSet> include = new ArrayList<>();
    List<RecurrenceSet> exclude = new ArrayList<>();
    include.add(new OfList(first));
    for (String raw : lines) {
      if (raw == null || raw.isBlank()) {
        continue;
      }
      ContentLine line = ContentLine.parse(raw.trim());
      switch (line.name()) {
        case "RRULE" -> include.add(new OfRule(rule(line.value(), zone, allDay), first));
        case "EXRULE" -> exclude.add(new OfRule(rule(line.value(), zone, allDay), first));
        case "RDATE" -> include.add(dates(line, first, zone, allDay));
        case "EXDATE" -> exclude.add(dates(line, first, zone, allDay));
        default -> {
          // other properties (none expected from Google) do not change the set
        }
      }
    }
    RecurrenceSet positive = include.size() == 1 ? include.get(0) : new Merged(include);
    return exclude.isEmpty() ? positive : new Difference(positive, new Merged(exclude));
  }

  private static RecurrenceRule rule(String value, TimeZone zone, boolean allDay) {
    try {
      RecurrenceRule rule = new RecurrenceRule(value, RecurrenceRule.RfcMode.RFC5545_LAX);
      DateTime until = rule.getUntil();
      if (until != null) {
        // RFC 5545 wants UNTIL of DTSTART's kind; Google is not always strict, so align it.
        if (allDay && !until.isAllDay()) {
          rule.setUntil(
              until.isFloating() ? until.toAllDay() : until.shiftTimeZone(zone).toAllDay());
        } else if (!allDay && until.isAllDay()) {
          rule.setUntil(
              new DateTime(
                  zone, until.getYear(), until.getMonth(), until.getDayOfMonth(), 23, 59, 59));
        } else if (!allDay && until.isFloating()) {
          rule.setUntil(until.swapTimeZone(zone));
        }
      }
      return rule;
    } catch (InvalidRecurrenceRuleException | RuntimeException e) {
      throw new InvalidRecurrenceException(value, e);
    }
  }

  private static RecurrenceSet dates(
      ContentLine line, DateTime first, TimeZone seriesZone, boolean allDay) {
    TimeZone zone = seriesZone;
    String tzid = line.parameter("TZID");
    if (tzid != null) {
      try {
        zone = TimeZone.getTimeZone(ZoneId.of(tzid));
      } catch (DateTimeException e) {
        throw new InvalidRecurrenceException(line.raw(), e);
      }
    }
    List<String> values = new ArrayList<>();
    for (String value : line.value().split(",")) {
      String v = value.trim();
      int slash = v.indexOf('/');
      if (slash > 0) {
        v = v.substring(0, slash); // PERIOD: its start is the instance
      }
      if (v.isEmpty()) {
        continue;
      }
      boolean dateOnly = v.length() == 8;
      if (allDay && !dateOnly) {
        v = v.substring(0, 8);
      } else if (!allDay && dateOnly) {
        v =
            v
                + String.format(
                    Locale.ROOT,
                    "T%02d%02d%02d",
                    first.getHours(),
                    first.getMinutes(),
                    first.getSeconds());
      }
      values.add(v);
    }
    try {
      return allDay ? new OfList(values.toArray(String[]::new)) : new OfList(zone, values);
    } catch (RuntimeException e) {
      throw new InvalidRecurrenceException(line.raw(), e);
    }
  }

  private static DateTime date(LocalDate date) {
    return new DateTime(date.getYear(), date.getMonthValue() - 1, date.getDayOfMonth());
  }

  /** {@code NAME;PARAM=a;PARAM2=b:value}, the framing of an iCalendar content line. */
  record ContentLine(String raw, String name, String parameters, String value) {

    static ContentLine parse(String raw) {
      int colon = raw.indexOf(':');
      if (colon < 0) {
        throw new InvalidRecurrenceException(raw, null);
      }
      String head = raw.substring(0, colon);
      int semicolon = head.indexOf(';');
      String name = (semicolon < 0 ? head : head.substring(0, semicolon)).toUpperCase(Locale.ROOT);
      String params = semicolon < 0 ? "" : head.substring(semicolon + 1);
      return new ContentLine(raw, name, params, raw.substring(colon + 1));
    }

    String parameter(String key) {
      for (String p : parameters.split(";")) {
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).equalsIgnoreCase(key)) {
          String v = p.substring(eq + 1);
          return v.startsWith("\"") && v.endsWith("\"") && v.length() > 1
              ? v.substring(1, v.length() - 1)
              : v;
        }
      }
      return null;
    }
  }

  /** A series whose recurrence lines cannot be read; the caller shows its first instance only. */
  public static final class InvalidRecurrenceException extends RuntimeException {
    InvalidRecurrenceException(String what, Throwable cause) {
      super("cannot read recurrence " + what, cause);
    }
  }
}
