package io.calsync.contract.kafka;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Google's {@code EventDateTime}: exactly one of {@code date_time} (a timed event, with its offset)
 * or {@code date} (an all-day event, a calendar date with no zone), plus the IANA {@code time_zone}
 * when Google gives one (always for a series: the zone its rule expands in).
 */
public record EventTime(OffsetDateTime dateTime, LocalDate date, String timeZone) {

  public static EventTime of(OffsetDateTime dateTime, String timeZone) {
    return new EventTime(dateTime, null, timeZone);
  }

  public static EventTime ofDate(LocalDate date) {
    return new EventTime(null, date, null);
  }
}
