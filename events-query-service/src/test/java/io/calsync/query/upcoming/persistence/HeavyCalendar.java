package io.calsync.query.upcoming.persistence;

import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import io.calsync.query.support.TestBeans;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;

/**
 * One user's big calendar as issue 8 measured it, written through the read-model writer: {@code
 * events} events over {@code connections} connections (one calendar each, Europe/Berlin), every
 * {@code events / series}-th an open weekly series begun up to a year ago, every 20th of the rest
 * all-day, the others one hour long spread over 60 days around the test clock's now.
 */
final class HeavyCalendar {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private HeavyCalendar() {}

  static void seed(ReadModelWriter writer, String user, int events, int series, int connections) {
    OffsetDateTime at = OffsetDateTime.parse("2026-11-01T00:00:00Z");
    List<UUID> connectionIds = new ArrayList<>();
    List<UUID> calendars = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      UUID connection = UUID.randomUUID();
      UUID calendar = UUID.randomUUID();
      connectionIds.add(connection);
      calendars.add(calendar);
      writer
          .apply(
              List.of(
                  new ConnectionConnected(
                      connection, user, at, "google", "a@example.com", List.of("openid")),
                  new CalendarUpserted(
                      connection,
                      user,
                      at,
                      calendar,
                      "a@example.com",
                      "Work",
                      "#0b8043",
                      "Europe/Berlin",
                      true,
                      "owner",
                      true)))
          .block();
    }
    int perConnection = events / connections;
    int seriesPerConnection = series / connections;
    Flux.range(0, connections)
        .flatMap(
            c ->
                Flux.range(0, perConnection)
                    .map(
                        i ->
                            message(
                                user,
                                connectionIds.get(c),
                                calendars.get(c),
                                c,
                                i,
                                perConnection,
                                seriesPerConnection,
                                at))
                    .buffer(500)
                    .concatMap(writer::apply),
            connections)
        .blockLast();
  }

  /** Event {@code i} of connection {@code c}: every 50th of the 5,000 a weekly series. */
  private static EventChangeMessage message(
      String user,
      UUID connection,
      UUID calendar,
      int c,
      int i,
      int perConnection,
      int seriesPerConnection,
      OffsetDateTime at) {
    ZonedDateTime now = TestBeans.NOW.atZone(BERLIN);
    String id = "e" + c + "x" + i;
    boolean series = i % (perConnection / seriesPerConnection) == 0;
    EventPayload payload;
    if (series) {
      // open weekly series begun up to a year ago
      ZonedDateTime start =
          now.minusDays(i % 365).withHour(8 + i % 9).withMinute(0).withSecond(0).withNano(0);
      payload =
          payload(
              id,
              EventTime.of(start.toOffsetDateTime(), "Europe/Berlin"),
              EventTime.of(start.plusMinutes(30).toOffsetDateTime(), "Europe/Berlin"),
              List.of("RRULE:FREQ=WEEKLY"),
              at);
    } else if (i % 20 == 1) {
      LocalDate day = now.toLocalDate().plusDays((i % 60) - 30);
      payload = payload(id, EventTime.ofDate(day), EventTime.ofDate(day.plusDays(1)), null, at);
    } else {
      // spread over 60 days around now
      ZonedDateTime start =
          now.minusDays(30).plusSeconds((long) i * 60L * 24 * 3600 / perConnection);
      payload =
          payload(
              id,
              EventTime.of(start.toOffsetDateTime(), "Europe/Berlin"),
              EventTime.of(start.plusHours(1).toOffsetDateTime(), "Europe/Berlin"),
              null,
              at);
    }
    return new EventUpserted(connection, user, at, calendar, 1, payload);
  }

  private static EventPayload payload(
      String id, EventTime start, EventTime end, List<String> recurrence, OffsetDateTime at) {
    return new EventPayload(
        id,
        "confirmed",
        "Event " + id,
        "A description of " + id,
        "Room " + id.length(),
        start,
        end,
        recurrence,
        null,
        null,
        "https://calendar.test/" + id,
        at,
        "\"1\"",
        id + "@google.com");
  }
}
