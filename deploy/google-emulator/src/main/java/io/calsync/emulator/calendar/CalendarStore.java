package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Ids;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** All calendars, and each account's calendar list (primary first). */
public final class CalendarStore {

  /** Default zone of new calendars. */
  public static final String DEFAULT_TIME_ZONE = "UTC";

  private final Clock clock;
  private final Map<String, CalendarData> calendars = new ConcurrentHashMap<>();
  private final Map<String, List<CalendarData>> lists = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> listVersions = new ConcurrentHashMap<>();
  private final Map<String, List<String>> removed = new ConcurrentHashMap<>();
  private final List<Consumer<CalendarData>> listeners = new CopyOnWriteArrayList<>();

  public CalendarStore(Clock clock) {
    this.clock = clock;
  }

  public Clock clock() {
    return clock;
  }

  /** Called after every change to a calendar's events (outside the calendar's lock). */
  public void onEventsChanged(Consumer<CalendarData> listener) {
    listeners.add(listener);
  }

  public void changed(CalendarData calendar) {
    for (Consumer<CalendarData> listener : listeners) {
      listener.accept(calendar);
    }
  }

  /** Creates the primary calendar of a new account (id = e-mail). */
  public CalendarData createPrimary(String email) {
    CalendarData primary =
        new CalendarData(email, email, true, email, null, DEFAULT_TIME_ZONE, clock.instant());
    calendars.put(email, primary);
    List<CalendarData> list = new CopyOnWriteArrayList<>();
    list.add(primary);
    lists.put(email, list);
    listVersions.computeIfAbsent(email, k -> new AtomicLong()).incrementAndGet();
    return primary;
  }

  /** calendars.insert: a secondary calendar that joins the owner's calendar list. */
  public CalendarData createSecondary(
      String email, String summary, String description, String timeZone) {
    String id;
    do {
      id = Ids.base32hex(52) + "@group.calendar.google.com";
    } while (calendars.containsKey(id));
    CalendarData calendar =
        new CalendarData(
            id,
            email,
            false,
            summary,
            description,
            timeZone == null ? DEFAULT_TIME_ZONE : timeZone,
            clock.instant());
    calendars.put(id, calendar);
    lists.computeIfAbsent(email, k -> new CopyOnWriteArrayList<>()).add(calendar);
    listVersions.computeIfAbsent(email, k -> new AtomicLong()).incrementAndGet();
    return calendar;
  }

  /** calendars.delete: the calendar disappears (404 from now on). */
  public void delete(String email, CalendarData calendar) {
    if (calendar.primary()) {
      throw ApiException.badRequest(
          "cannotDeletePrimaryCalendar", "The primary calendar cannot be deleted.", null);
    }
    calendar.markDeleted();
    calendars.remove(calendar.id());
    List<CalendarData> list = lists.get(email);
    if (list != null) {
      list.remove(calendar);
    }
    removed.computeIfAbsent(email, k -> new CopyOnWriteArrayList<>()).add(calendar.id());
    listVersions.computeIfAbsent(email, k -> new AtomicLong()).incrementAndGet();
  }

  /** The calendar if {@code email} can see it ({@code primary} = own primary); 404 otherwise. */
  public CalendarData resolve(String email, String calendarId) {
    return find(email, calendarId).orElseThrow(ApiException::notFound);
  }

  public Optional<CalendarData> find(String email, String calendarId) {
    String key = "primary".equals(calendarId) ? email : calendarId;
    CalendarData calendar = calendars.get(key);
    if (calendar == null || calendar.deleted() || !calendar.owner().equals(email)) {
      return Optional.empty();
    }
    return Optional.of(calendar);
  }

  /** A calendar by id, whoever owns it. */
  public Optional<CalendarData> byId(String calendarId) {
    return Optional.ofNullable(calendars.get(calendarId)).filter(c -> !c.deleted());
  }

  public List<CalendarData> list(String email) {
    return new ArrayList<>(lists.getOrDefault(email, List.of()));
  }

  /** Ids of calendars removed from the list of {@code email}. */
  public List<String> removedFromList(String email) {
    return new ArrayList<>(removed.getOrDefault(email, List.of()));
  }

  public long listVersion(String email) {
    return listVersions.computeIfAbsent(email, k -> new AtomicLong()).get();
  }
}
