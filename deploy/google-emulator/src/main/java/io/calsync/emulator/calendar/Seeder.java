package io.calsync.emulator.calendar;

import io.calsync.emulator.support.Json;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deterministic seeding: a Random seeded from e-mail + calendar id (+ the rows already there)
 * spreads timed, all-day and recurring (mostly weekly) events over the next {@code days} days.
 */
public final class Seeder {

  private static final String[] TITLES = {
    "Standup",
    "1:1",
    "Planning",
    "Design review",
    "Lunch",
    "Dentist",
    "Gym",
    "Retro",
    "Customer call",
    "Interview",
    "Focus time",
    "Team sync",
    "Demo",
    "Coffee chat",
    "Board meeting",
    "Yoga",
    "Sprint review",
    "Workshop"
  };
  private static final String[] PLACES = {"Room 1", "Room 2", "Cafe", "Online", "HQ", null};
  private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo"};
  private static final DateTimeFormatter RRULE_UNTIL =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private Seeder() {}

  public static int seed(
      CalendarStore store, CalendarData calendar, String email, int count, int days) {
    if (count <= 0) {
      return 0;
    }
    long seed = (email + "\n" + calendar.id()).hashCode() * 1_000_003L + calendar.eventCount();
    Random random = new Random(seed);
    Instant now = store.clock().instant();
    ZoneId zone = ZoneId.of(calendar.timeZone());
    LocalDate today = now.atZone(zone).toLocalDate();
    int span = Math.max(1, days);
    List<ObjectNode> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ObjectNode body = Json.object();
      body.put("summary", TITLES[random.nextInt(TITLES.length)] + " #" + (i + 1));
      String place = PLACES[random.nextInt(PLACES.length)];
      if (place != null) {
        body.put("location", place);
      }
      if (random.nextInt(4) == 0) {
        body.put("description", "Seeded event " + (i + 1) + " for " + email);
      }
      LocalDate day = today.plusDays(random.nextInt(span));
      int kind = random.nextInt(100);
      if (kind < 12) {
        // all-day, 1-3 days
        int length = 1 + (random.nextInt(5) == 0 ? random.nextInt(3) : 0);
        body.putObject("start").put("date", day.toString());
        body.putObject("end").put("date", day.plusDays(length).toString());
        body.put("transparency", "transparent");
      } else {
        String eventZone = kind < 20 ? ZONES[random.nextInt(ZONES.length)] : calendar.timeZone();
        ZoneId ez = ZoneId.of(eventZone);
        ZonedDateTime start = day.atTime(7 + random.nextInt(12), random.nextInt(4) * 15).atZone(ez);
        ZonedDateTime end = start.plusMinutes(15L * (1 + random.nextInt(8)));
        ObjectNode s = body.putObject("start");
        s.put("dateTime", EventTime.DATE_TIME.format(start.toOffsetDateTime()));
        s.put("timeZone", eventZone);
        ObjectNode e = body.putObject("end");
        e.put("dateTime", EventTime.DATE_TIME.format(end.toOffsetDateTime()));
        e.put("timeZone", eventZone);
        if (kind >= 92) {
          // recurring: mostly weekly, bounded by the seeding window or a count
          String rule;
          int r = random.nextInt(10);
          if (r < 6) {
            DayOfWeek dow = start.getDayOfWeek();
            rule =
                "RRULE:FREQ=WEEKLY;BYDAY="
                    + dow.name().substring(0, 2)
                    + ";UNTIL="
                    + RRULE_UNTIL.format(
                        today
                            .plusDays(span)
                            .atStartOfDay(zone)
                            .withZoneSameInstant(java.time.ZoneOffset.UTC));
          } else if (r < 8) {
            rule = "RRULE:FREQ=WEEKLY;COUNT=" + (2 + random.nextInt(8));
          } else if (r < 9) {
            rule = "RRULE:FREQ=DAILY;COUNT=" + (2 + random.nextInt(10));
          } else {
            // two days a week, the first on the start's day: as Google's own UI makes a series,
            // whose start is always one of the rule's occurrences
            DayOfWeek dow = start.getDayOfWeek();
            rule =
                "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY="
                    + dow.name().substring(0, 2)
                    + ","
                    + dow.plus(2).name().substring(0, 2);
          }
          body.putArray("recurrence").add(rule);
        }
        if (random.nextInt(5) == 0) {
          ObjectNode attendee = body.putArray("attendees").addObject();
          attendee.put("email", email);
          attendee.put("self", true);
          attendee.put("organizer", true);
          attendee.put("responseStatus", "accepted");
          ObjectNode guest =
              ((tools.jackson.databind.node.ArrayNode) body.get("attendees")).addObject();
          guest.put("email", "guest" + random.nextInt(50) + "@example.com");
          guest.put("responseStatus", random.nextBoolean() ? "accepted" : "needsAction");
        }
      }
      bodies.add(body);
    }
    int created = calendar.insertAll(bodies, random, now);
    store.changed(calendar);
    return created;
  }
}
