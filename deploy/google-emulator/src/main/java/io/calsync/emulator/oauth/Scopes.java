package io.calsync.emulator.oauth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Google scope names and the checks the Calendar API applies. */
public final class Scopes {

  public static final String PREFIX = "https://www.googleapis.com/auth/";
  public static final String CALENDAR = PREFIX + "calendar";
  public static final String CALENDAR_READONLY = PREFIX + "calendar.readonly";
  public static final String EVENTS = PREFIX + "calendar.events";
  public static final String EVENTS_READONLY = PREFIX + "calendar.events.readonly";
  public static final String EMAIL = PREFIX + "userinfo.email";
  public static final String PROFILE = PREFIX + "userinfo.profile";

  /** Scopes able to read events (list, get, instances, watch). */
  public static final Set<String> EVENTS_READ =
      Set.of(
          CALENDAR,
          CALENDAR_READONLY,
          EVENTS,
          EVENTS_READONLY,
          PREFIX + "calendar.events.owned",
          PREFIX + "calendar.events.owned.readonly",
          PREFIX + "calendar.app.created",
          PREFIX + "calendar.events.public.readonly",
          PREFIX + "calendar.events.freebusy");

  /** Scopes able to write events. */
  public static final Set<String> EVENTS_WRITE =
      Set.of(CALENDAR, EVENTS, PREFIX + "calendar.events.owned", PREFIX + "calendar.app.created");

  /** Scopes able to list calendars. */
  public static final Set<String> CALENDAR_LIST_READ =
      Set.of(
          CALENDAR,
          CALENDAR_READONLY,
          PREFIX + "calendar.calendarlist",
          PREFIX + "calendar.calendarlist.readonly");

  /** Scopes able to create or delete calendars. */
  public static final Set<String> CALENDARS_WRITE =
      Set.of(CALENDAR, PREFIX + "calendar.calendars", PREFIX + "calendar.app.created");

  /** Scopes able to read calendar metadata. */
  public static final Set<String> CALENDARS_READ =
      Set.of(
          CALENDAR,
          CALENDAR_READONLY,
          PREFIX + "calendar.calendars",
          PREFIX + "calendar.calendars.readonly",
          PREFIX + "calendar.app.created");

  private Scopes() {}

  /**
   * Parses a space-separated scope string, expanding the shorthands {@code email}, {@code profile}.
   */
  public static Set<String> parse(String scope) {
    Set<String> scopes = new LinkedHashSet<>();
    if (scope == null) {
      return scopes;
    }
    for (String s : scope.trim().split("[\\s+]+")) {
      if (s.isEmpty()) {
        continue;
      }
      switch (s) {
        case "email" -> scopes.add(EMAIL);
        case "profile" -> scopes.add(PROFILE);
        default -> scopes.add(s);
      }
    }
    return scopes;
  }

  public static String format(Collection<String> scopes) {
    return String.join(" ", scopes);
  }

  public static boolean anyOf(Set<String> granted, Set<String> accepted) {
    for (String s : granted) {
      if (accepted.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** True when the scope is one Google would accept on a consent screen. */
  public static boolean isKnown(String scope) {
    return "openid".equals(scope) || scope.startsWith(PREFIX);
  }
}
