package io.calsync.query.upcoming.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A start or end of a stored event: a timed point ({@code instant} with the {@code offset} it was
 * written with) or an all-day {@code date}, plus the IANA {@code timeZone} when the source gave
 * one.
 */
public record When(Instant instant, ZoneOffset offset, LocalDate date, String timeZone) {

  public static When timed(Instant instant, ZoneOffset offset, String timeZone) {
    return new When(instant, offset, null, timeZone);
  }

  public static When allDay(LocalDate date, String timeZone) {
    return new When(null, null, date, timeZone);
  }

  public boolean isDate() {
    return date != null;
  }
}
