package io.calsync.localstack;

import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventTime;
import io.calsync.contract.kafka.EventUpserted;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The contract's {@code event.upserted} messages of the benchmark's data sets, as sync-service
 * would publish them for one connection's primary calendar: deterministic (a seeded {@link
 * Random}), spread over the next {@code days} days with the Google emulator's mix (its {@code
 * Seeder}): 12 % all-day, 8 % recurring series (mostly weekly, some daily, bounded by the window, a
 * count or open-ended), every timed event with its time zone, mostly the calendar's ({@value
 * #ZONE}). The read model shows events of connections and calendars it has not heard of (root
 * README, decision 10), so no other message is needed.
 */
final class EventMessages {

  static final String ZONE = "Europe/Berlin";

  private static final String[] TITLES = {
    "Standup", "1:1", "Planning", "Design review", "Lunch", "Gym", "Customer call", "Demo"
  };
  private static final String[] ZONES = {ZONE, "America/New_York", "UTC", "Asia/Tokyo"};
  private static final DateTimeFormatter RRULE_UNTIL =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Random random;
  private final Instant now;
  private final OffsetDateTime updated;
  private int count;

  EventMessages(long seed, Instant now) {
    this.random = new Random(seed);
    this.now = now;
    // as PostgreSQL stores it, so a replay would compare equal
    this.updated = now.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** One connection of {@code user}: {@code events} messages over the next {@code days} days. */
  List<EventUpserted> calendar(UUID connection, String user, int events, int days) {
    UUID calendar = UUID.randomUUID();
    List<EventUpserted> messages = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      messages.add(
          new EventUpserted(connection, user, updated, calendar, 1, event(random.nextInt(days))));
    }
    return messages;
  }

  /** A one-hour event starting {@code minutes} from now, with a fresh id. */
  EventUpserted single(UUID connection, String user, UUID calendar, long minutes) {
    ZonedDateTime start =
        now.plus(minutes, ChronoUnit.MINUTES)
            .truncatedTo(ChronoUnit.MINUTES)
            .atZone(ZoneId.of(ZONE));
    return new EventUpserted(
        connection,
        user,
        updated,
        calendar,
        1,
        payload(
            nextId(),
            "Fresh",
            EventTime.of(start.toOffsetDateTime(), ZONE),
            start.plusHours(1),
            null));
  }

  private EventPayload event(int dayOffset) {
    ZoneId calendarZone = ZoneId.of(ZONE);
    LocalDate today = now.atZone(calendarZone).toLocalDate();
    LocalDate day = today.plusDays(dayOffset);
    String id = nextId();
    String title = TITLES[random.nextInt(TITLES.length)] + " #" + count;
    int kind = random.nextInt(100);
    if (kind < 12) {
      int length = 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0);
      return new EventPayload(
          id,
          "confirmed",
          title,
          null,
          null,
          EventTime.ofDate(day),
          EventTime.ofDate(day.plusDays(length)),
          null,
          null,
          null,
          "https://calendar.google.com/calendar/event?eid=" + id,
          updated,
          "\"" + count + "\"",
          id + "@google.com");
    }
    String zone = kind < 20 ? ZONES[random.nextInt(ZONES.length)] : ZONE;
    ZonedDateTime start =
        day.atTime(7 + random.nextInt(12), random.nextInt(4) * 15).atZone(ZoneId.of(zone));
    ZonedDateTime end = start.plusMinutes(15L * (1 + random.nextInt(8)));
    List<String> recurrence = kind >= 92 ? List.of(rule(start, today.plusDays(60))) : null;
    return payload(id, title, EventTime.of(start.toOffsetDateTime(), zone), end, recurrence);
  }

  /** The emulator's rule mix: weekly until the window's end, weekly or daily counts, biweekly. */
  private String rule(ZonedDateTime start, LocalDate windowEnd) {
    String day = start.getDayOfWeek().name().substring(0, 2);
    int r = random.nextInt(10);
    if (r < 6) {
      return "RRULE:FREQ=WEEKLY;BYDAY="
          + day
          + ";UNTIL="
          + RRULE_UNTIL.format(windowEnd.atStartOfDay(ZoneOffset.UTC));
    }
    if (r < 8) {
      return "RRULE:FREQ=WEEKLY;COUNT=" + (2 + random.nextInt(8));
    }
    if (r < 9) {
      return "RRULE:FREQ=DAILY;COUNT=" + (2 + random.nextInt(10));
    }
    DayOfWeek other = start.getDayOfWeek().plus(2);
    return "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=" + day + "," + other.name().substring(0, 2);
  }

  private EventPayload payload(
      String id, String title, EventTime start, ZonedDateTime end, List<String> recurrence) {
    return new EventPayload(
        id,
        "confirmed",
        title,
        null,
        "Room " + (1 + count % 3),
        start,
        EventTime.of(end.toOffsetDateTime(), start.timeZone()),
        recurrence,
        null,
        null,
        "https://calendar.google.com/calendar/event?eid=" + id,
        updated,
        "\"" + count + "\"",
        id + "@google.com");
  }

  /** Google-like ids: lower-case letters and digits, unique within the run. */
  private String nextId() {
    count++;
    return "bench" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + count;
  }

  /** Whether {@code message} is a series master. */
  static boolean series(EventUpserted message) {
    return message.event().recurrence() != null;
  }
}
