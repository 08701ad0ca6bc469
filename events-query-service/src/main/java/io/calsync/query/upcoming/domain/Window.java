package io.calsync.query.upcoming.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The half-open window {@code [from, to)} of an upcoming-events query, in the caller's zone. A
 * timed event overlaps it when it starts before {@code to} and ends after {@code from} (an event in
 * progress is included; a zero-length event counts when its start lies in the window). An all-day
 * event occupies its dates in the caller's zone, from the start of its first day to the start of
 * its (exclusive) end date, and is never routed through a UTC instant.
 */
public record Window(ZonedDateTime from, ZonedDateTime to) {

  public Window {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("empty window");
    }
  }

  /**
   * {@code days} calendar days from {@code now} in {@code zone} (a DST change keeps the local
   * time).
   */
  public static Window of(Instant now, ZoneId zone, int days) {
    ZonedDateTime from = now.atZone(zone);
    return new Window(from, from.plusDays(days));
  }

  public ZoneId zone() {
    return from.getZone();
  }

  public Instant fromInstant() {
    return from.toInstant();
  }

  public Instant toInstant() {
    return to.toInstant();
  }

  public boolean overlaps(Instant start, Instant end) {
    Instant effectiveEnd = end == null || end.isBefore(start) ? start : end;
    if (!start.isBefore(toInstant())) {
      return false;
    }
    return effectiveEnd.isAfter(fromInstant())
        || (effectiveEnd.equals(start) && !start.isBefore(fromInstant()));
  }

  /** Whether the all-day span {@code [start, endExclusive)} overlaps the window's local dates. */
  public boolean overlaps(LocalDate start, LocalDate endExclusive) {
    LocalDate end =
        endExclusive == null || !endExclusive.isAfter(start) ? start.plusDays(1) : endExclusive;
    return !start.isAfter(lastDate()) && end.isAfter(firstDate());
  }

  /** An all-day event must end after this date to overlap: the window's first local date. */
  public LocalDate firstDate() {
    return from.toLocalDate();
  }

  /** The last local date whose start of day lies before {@code to}. */
  public LocalDate lastDate() {
    LocalDate candidate = to.toLocalDate();
    return candidate.atStartOfDay(zone()).toInstant().isBefore(toInstant())
        ? candidate
        : candidate.minusDays(1);
  }

  /**
   * Where a day of an all-day event begins in the window's zone; used to order it among timed ones.
   */
  public Instant startOf(LocalDate date) {
    return date.atStartOfDay(zone()).toInstant();
  }
}
