package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Ids;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * All calendars, and each account's calendar list: its own calendars (role {@code owner}, primary
 * first) and the calendars it subscribes to with a weaker role. Every list change is numbered per
 * account, which drives calendarList sync tokens.
 */
public final class CalendarStore {

  /** Default zone of new calendars. */
  public static final String DEFAULT_TIME_ZONE = "UTC";

  /** Access roles of a calendar list entry, weakest first. */
  public static final List<String> ROLES = List.of("freeBusyReader", "reader", "writer", "owner");

  private final Clock clock;
  private final Map<String, CalendarData> calendars = new ConcurrentHashMap<>();
  private final Map<String, AccountList> lists = new ConcurrentHashMap<>();
  private final List<Consumer<CalendarData>> listeners = new CopyOnWriteArrayList<>();

  /** One entry of an account's calendar list, and the list change that last touched it. */
  public record Entry(CalendarData calendar, String role, long version) {}

  /** A removed entry: which calendar, and the list change that removed it. */
  public record Removed(String calendarId, long version) {}

  /** One account's calendar list (guarded by itself). */
  private static final class AccountList {
    long version;
    final Map<String, Entry> entries = new LinkedHashMap<>();
    final Map<String, Long> removed = new LinkedHashMap<>();

    /**
     * Adds the entry, or changes its role: a role is an ACL, a read-only field of the entry, so a
     * change does not count as a list change (facts §2.2).
     */
    synchronized void put(CalendarData calendar, String role) {
      Entry existing = entries.get(calendar.id());
      if (existing != null) {
        entries.put(calendar.id(), new Entry(calendar, role, existing.version()));
        return;
      }
      version++;
      entries.put(calendar.id(), new Entry(calendar, role, version));
      removed.remove(calendar.id());
    }

    synchronized boolean remove(String calendarId) {
      if (entries.remove(calendarId) == null) {
        return false;
      }
      version++;
      removed.put(calendarId, version);
      return true;
    }
  }

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

  /**
   * A time zone as Google takes it for a calendar: an IANA name; 400 {@code invalid} (naming {@code
   * timeZone}) otherwise, e.g. for an offset such as {@code +02:00}.
   */
  public static String checkTimeZone(String timeZone) {
    if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
      throw ApiException.badRequest("invalid", "Invalid time zone.", "timeZone");
    }
    return timeZone;
  }

  private AccountList listOf(String email) {
    return lists.computeIfAbsent(email, k -> new AccountList());
  }

  /** Creates the primary calendar of a new account (id = e-mail). */
  public CalendarData createPrimary(String email) {
    CalendarData primary =
        new CalendarData(email, email, true, email, null, DEFAULT_TIME_ZONE, clock.instant());
    calendars.put(email, primary);
    listOf(email).put(primary, "owner");
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
    listOf(email).put(calendar, "owner");
    return calendar;
  }

  /**
   * Subscribes {@code email} to another account's calendar with a weaker role (a shared, public or
   * holiday calendar), or changes the role of such a subscription.
   */
  public void subscribe(String email, CalendarData calendar, String role) {
    if (calendar.owner().equals(email)) {
      throw new IllegalArgumentException("calendar_id: the account owns this calendar");
    }
    if (!ROLES.contains(role) || role.equals("owner")) {
      throw new IllegalArgumentException("access_role: one of freeBusyReader, reader, writer");
    }
    listOf(email).put(calendar, role);
  }

  /**
   * calendars.delete: the calendar disappears (404 from now on), from its owner's list and from
   * every list that subscribed to it.
   */
  public void delete(String email, CalendarData calendar) {
    if (!calendar.owner().equals(email)) {
      throw ApiException.requiredAccessLevel("owner");
    }
    if (calendar.primary()) {
      throw ApiException.badRequest(
          "cannotDeletePrimaryCalendar", "The primary calendar cannot be deleted.", null);
    }
    calendar.markDeleted();
    calendars.remove(calendar.id());
    lists.values().forEach(list -> list.remove(calendar.id()));
  }

  /** The calendar if {@code email} can see it ({@code primary} = own primary); 404 otherwise. */
  public CalendarData resolve(String email, String calendarId) {
    return find(email, calendarId).orElseThrow(ApiException::notFound);
  }

  public Optional<CalendarData> find(String email, String calendarId) {
    return entry(email, calendarId).map(Entry::calendar);
  }

  /** The list entry of {@code email} for the calendar, if it can see it. */
  public Optional<Entry> entry(String email, String calendarId) {
    String key = "primary".equals(calendarId) ? email : calendarId;
    AccountList list = lists.get(email);
    if (list == null) {
      return Optional.empty();
    }
    Entry entry;
    synchronized (list) {
      entry = list.entries.get(key);
    }
    if (entry == null || entry.calendar().deleted()) {
      return Optional.empty();
    }
    return Optional.of(entry);
  }

  /** The role {@code email} has on the calendar ({@code owner} for its own); 404 otherwise. */
  public String role(String email, CalendarData calendar) {
    return entry(email, calendar.id()).orElseThrow(ApiException::notFound).role();
  }

  /** A calendar by id, whoever owns it. */
  public Optional<CalendarData> byId(String calendarId) {
    return Optional.ofNullable(calendars.get(calendarId)).filter(c -> !c.deleted());
  }

  /** The calendar list of {@code email}: own calendars first (primary first), then the others. */
  public List<Entry> list(String email) {
    AccountList list = lists.get(email);
    if (list == null) {
      return List.of();
    }
    List<Entry> result;
    synchronized (list) {
      result = new ArrayList<>(list.entries.values());
    }
    result.sort(
        java.util.Comparator.comparing((Entry e) -> !(e.calendar().primary() && isOwner(e)))
            .thenComparing(e -> !isOwner(e)));
    return result;
  }

  private static boolean isOwner(Entry entry) {
    return entry.role().equals("owner");
  }

  /** Calendars removed from the list of {@code email}, with the change that removed them. */
  public List<Removed> removedFromList(String email) {
    AccountList list = lists.get(email);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      List<Removed> result = new ArrayList<>();
      list.removed.forEach((id, version) -> result.add(new Removed(id, version)));
      return result;
    }
  }

  /** The number of the last change to the calendar list of {@code email}. */
  public long listVersion(String email) {
    AccountList list = listOf(email);
    synchronized (list) {
      return list.version;
    }
  }
}
