package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestBeans;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * Not a test (no surefire pattern matches its name; run it with {@code
 * -Dtest=IngestThroughputMeasurement}): applies rounds of 10,000 {@code event.upserted} messages of
 * one new connection each, in 500-message batches as the listener polls them, straight through
 * {@link ReadModelWriter} (no Kafka), with the benchmark's mix of events (12 % all-day, 8 %
 * series), and logs events/s per round. It asserts only that every event has its row.
 */
@QueryServiceTest
class IngestThroughputMeasurement {

  private static final Logger log = LoggerFactory.getLogger(IngestThroughputMeasurement.class);
  private static final int ROUNDS = Integer.getInteger("rounds", 5);
  private static final int EVENTS = 10_000;
  private static final String ZONE = "Europe/Berlin";
  private static final DateTimeFormatter UNTIL =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  @Autowired ReadModelWriter writer;
  @Autowired DatabaseClient db;

  @Test
  void measure() {
    Random random = new Random(42);
    OffsetDateTime updated = TestBeans.NOW.atOffset(ZoneOffset.UTC);
    for (int round = 1; round <= ROUNDS; round++) {
      UUID connection = UUID.randomUUID();
      UUID calendar = UUID.randomUUID();
      String user = "ingest-" + round;
      List<EventUpserted> messages = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        messages.add(
            new EventUpserted(
                connection, user, updated, calendar, 1, event(random, round + "x" + i, updated)));
      }
      long start = System.nanoTime();
      Flux.fromIterable(messages).buffer(500).concatMap(writer::apply).blockLast();
      double seconds = (System.nanoTime() - start) / 1e9;
      log.info(
          "round {}: {} events in {} s = {} events/s",
          round,
          EVENTS,
          String.format("%.2f", seconds),
          Math.round(EVENTS / seconds));
      Long rows =
          db.sql("select count(*) from events where connection_id = :c")
              .bind("c", connection)
              .map(r -> r.get(0, Long.class))
              .one()
              .block();
      assertThat(rows).isEqualTo(EVENTS);
    }
  }

  private static EventPayload event(Random random, String id, OffsetDateTime updated) {
    LocalDate today = TestBeans.NOW.atZone(ZoneId.of(ZONE)).toLocalDate();
    LocalDate day = today.plusDays(random.nextInt(60));
    int kind = random.nextInt(100);
    if (kind < 12) {
      return payload(id, EventTime.ofDate(day), EventTime.ofDate(day.plusDays(1)), null, updated);
    }
    ZonedDateTime start =
        day.atTime(7 + random.nextInt(12), random.nextInt(4) * 15).atZone(ZoneId.of(ZONE));
    ZonedDateTime end = start.plusMinutes(15L * (1 + random.nextInt(8)));
    List<String> recurrence = null;
    if (kind >= 92) {
      int r = random.nextInt(10);
      String byDay = start.getDayOfWeek().name().substring(0, 2);
      recurrence =
          List.of(
              r < 6
                  ? "RRULE:FREQ=WEEKLY;BYDAY="
                      + byDay
                      + ";UNTIL="
                      + UNTIL.format(today.plusDays(60).atStartOfDay(ZoneOffset.UTC))
                  : r < 8
                      ? "RRULE:FREQ=WEEKLY;COUNT=" + (2 + random.nextInt(8))
                      : r < 9
                          ? "RRULE:FREQ=DAILY;COUNT=" + (2 + random.nextInt(10))
                          : "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY="
                              + byDay
                              + ","
                              + start.getDayOfWeek().plus(2).name().substring(0, 2));
    }
    return payload(
        id,
        EventTime.of(start.toOffsetDateTime(), ZONE),
        EventTime.of(end.toOffsetDateTime(), ZONE),
        recurrence,
        updated);
  }

  private static EventPayload payload(
      String id, EventTime start, EventTime end, List<String> recurrence, OffsetDateTime updated) {
    return new EventPayload(
        id,
        "confirmed",
        "Event " + id,
        null,
        "Room 1",
        start,
        end,
        recurrence,
        null,
        null,
        "https://calendar.google.com/calendar/event?eid=" + id,
        updated,
        "\"1\"",
        id + "@google.com");
  }
}
