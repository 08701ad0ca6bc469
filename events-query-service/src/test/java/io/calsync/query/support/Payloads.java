package io.calsync.query.support;

import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** Event payloads as sync-service publishes them, for tests that need a plain event or two. */
public final class Payloads {

  private Payloads() {}

  /** A confirmed timed event from {@code start} to {@code end} (ISO offset date-times). */
  public static EventPayload timed(
      String id, String start, String end, String title, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        title,
        null,
        null,
        EventTime.of(OffsetDateTime.parse(start), null),
        EventTime.of(OffsetDateTime.parse(end), null),
        null,
        null,
        null,
        "https://calendar.test/" + id,
        updated,
        "\"" + updated.toEpochSecond() + "\"",
        id + "@google.com");
  }

  /** A confirmed all-day event from {@code start} to {@code end} (ISO dates, end exclusive). */
  public static EventPayload allDay(String id, String start, String end, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        id,
        null,
        null,
        EventTime.ofDate(LocalDate.parse(start)),
        EventTime.ofDate(LocalDate.parse(end)),
        null,
        null,
        null,
        null,
        updated,
        null,
        null);
  }
}
