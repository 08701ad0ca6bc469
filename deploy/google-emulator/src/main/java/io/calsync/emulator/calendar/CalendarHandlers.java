package io.calsync.emulator.calendar;

import static io.calsync.emulator.calendar.QueryParams.boolParam;
import static io.calsync.emulator.calendar.QueryParams.intParam;

import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Calendar API v3: calendarList and calendars (events are {@link EventHandlers}). */
public final class CalendarHandlers {

  private final CalendarStore store;
  private final BearerAuth auth;

  public CalendarHandlers(CalendarStore store, BearerAuth auth) {
    this.store = store;
    this.auth = auth;
  }

  // ------------------------------------------------------------------ calendarList

  public Mono<ServerResponse> calendarList(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDAR_LIST_READ);
    int maxResults = intParam(request, "maxResults", 100, 1, 250);
    String email = access.email();
    Optional<String> syncToken = request.queryParam("syncToken");
    String minAccessRole = request.queryParam("minAccessRole").orElse(null);
    if (minAccessRole != null && !CalendarStore.ROLES.contains(minAccessRole)) {
      throw ApiException.badRequest("invalid", "Invalid value for minAccessRole.", "minAccessRole");
    }
    long tokenVersion = -1;
    if (syncToken.isPresent()) {
      // With a sync token, deleted and hidden entries always come back: these cannot narrow it.
      for (String forbidden : List.of("minAccessRole", "showOwnOrganizationOnly")) {
        if (request.queryParam(forbidden).isPresent()) {
          throw ApiException.badRequest(
              "invalid",
              "The " + forbidden + " parameter cannot be used with a sync token.",
              forbidden);
        }
      }
      for (String always : List.of("showDeleted", "showHidden")) {
        if (request.queryParam(always).isPresent() && !boolParam(request, always)) {
          throw ApiException.badRequest(
              "invalid", always + "=false cannot be used with a sync token.", always);
        }
      }
      tokenVersion = decodeListSyncToken(syncToken.get(), store.listVersion(email));
    }
    String query =
        syncToken.orElse("")
            + "|"
            + boolParam(request, "showDeleted")
            + "|"
            + boolParam(request, "showHidden")
            + "|"
            + minAccessRole;
    ListPage page =
        request
            .queryParam("pageToken")
            .map(t -> ListPage.decode(t, query))
            .orElseGet(() -> new ListPage(0, store.listVersion(email)));
    List<ObjectNode> entries = new ArrayList<>();
    int minRank = minAccessRole == null ? 0 : CalendarStore.ROLES.indexOf(minAccessRole);
    for (CalendarStore.Entry entry : store.list(email)) {
      boolean changed = entry.version() > tokenVersion && entry.version() <= page.version();
      if (changed && CalendarStore.ROLES.indexOf(entry.role()) >= minRank) {
        entries.add(listEntry(entry));
      }
    }
    // Removed entries come back with a sync token (those removed since) or with showDeleted.
    if (syncToken.isPresent() || boolParam(request, "showDeleted")) {
      for (CalendarStore.Removed removed : store.removedFromList(email)) {
        if (removed.version() > tokenVersion && removed.version() <= page.version()) {
          ObjectNode gone = Json.object();
          gone.put("kind", "calendar#calendarListEntry");
          gone.put("etag", "\"" + removed.version() + "\"");
          gone.put("id", removed.calendarId());
          gone.put("deleted", true);
          entries.add(gone);
        }
      }
    }
    ObjectNode body = listEnvelope(email);
    ArrayNode items = body.putArray("items");
    int end = Math.min(entries.size(), page.offset() + maxResults);
    for (int i = page.offset(); i < end; i++) {
      items.add(entries.get(i));
    }
    if (end < entries.size()) {
      body.put("nextPageToken", new ListPage(end, page.version()).encode(query));
    } else {
      body.put("nextSyncToken", listToken("l:", page.version()));
    }
    return Json.ok(body);
  }

  /**
   * A calendarList page token: where the page starts and the list change the listing reads, bound
   * to the query that started it (another query with it answers 400, as at Google).
   */
  private record ListPage(int offset, long version) {

    String encode(String query) {
      return listToken("o:", offset + ":" + version + ":" + query.hashCode());
    }

    static ListPage decode(String token, String query) {
      try {
        String[] p =
            new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                .split(":");
        if (p.length != 4 || !p[0].equals("o") || Integer.parseInt(p[3]) != query.hashCode()) {
          throw new IllegalArgumentException();
        }
        return new ListPage(Integer.parseInt(p[1]), Long.parseLong(p[2]));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
      }
    }
  }

  /** The list change a calendarList sync token stands for; 410 when it is not one of ours. */
  private static long decodeListSyncToken(String token, long version) {
    try {
      String raw =
          new String(java.util.Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!raw.startsWith("l:")) {
        throw ApiException.fullSyncRequired();
      }
      long tokenVersion = Long.parseLong(raw.substring(2));
      if (tokenVersion > version || tokenVersion < 0) {
        throw ApiException.fullSyncRequired();
      }
      return tokenVersion;
    } catch (IllegalArgumentException e) {
      throw ApiException.fullSyncRequired();
    }
  }

  private static String listToken(String prefix, Object value) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((prefix + value).getBytes(StandardCharsets.UTF_8));
  }

  private ObjectNode listEnvelope(String email) {
    ObjectNode body = Json.object();
    body.put("kind", "calendar#calendarList");
    body.put("etag", "\"p" + Long.toString(store.listVersion(email) * 7919 + 1000003, 36) + "\"");
    return body;
  }

  private ObjectNode listEntry(CalendarStore.Entry listed) {
    CalendarData calendar = listed.calendar();
    // Only the account's own primary calendar is "primary" in its list.
    boolean primary = calendar.primary() && listed.role().equals("owner");
    ObjectNode entry = Json.object();
    entry.put("kind", "calendar#calendarListEntry");
    entry.put("etag", calendar.etag());
    entry.put("id", calendar.id());
    entry.put("summary", calendar.summary());
    if (calendar.description() != null) {
      entry.put("description", calendar.description());
    }
    entry.put("timeZone", calendar.timeZone());
    entry.put("colorId", primary ? "14" : "7");
    entry.put("backgroundColor", primary ? "#9fe1e7" : "#42d692");
    entry.put("foregroundColor", "#000000");
    entry.put("selected", true);
    entry.put("accessRole", listed.role());
    ArrayNode reminders = entry.putArray("defaultReminders");
    if (primary) {
      ObjectNode reminder = reminders.addObject();
      reminder.put("method", "popup");
      reminder.put("minutes", 10);
      ArrayNode notifications = entry.putObject("notificationSettings").putArray("notifications");
      for (String type :
          List.of("eventCreation", "eventChange", "eventCancellation", "eventResponse")) {
        ObjectNode n = notifications.addObject();
        n.put("type", type);
        n.put("method", "email");
      }
      entry.put("primary", true);
    }
    entry
        .putObject("conferenceProperties")
        .putArray("allowedConferenceSolutionTypes")
        .add("hangoutsMeet");
    return entry;
  }

  public Mono<ServerResponse> calendarListGet(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDAR_LIST_READ);
    CalendarStore.Entry entry =
        store
            .entry(access.email(), request.pathVariable("calendarId"))
            .orElseThrow(ApiException::notFound);
    return Json.okUnlessNotModified(request, listEntry(entry));
  }

  // ------------------------------------------------------------------ calendars

  public Mono<ServerResponse> calendarsInsert(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_WRITE);
    return Requests.json(request)
        .flatMap(
            body -> {
              String summary = Json.text(body, "summary");
              if (summary == null || summary.isBlank()) {
                throw ApiException.required("summary", "Missing title.");
              }
              String timeZone = Json.text(body, "timeZone");
              if (timeZone != null) {
                CalendarStore.checkTimeZone(timeZone);
              }
              CalendarData calendar =
                  store.createSecondary(
                      access.email(), summary, Json.text(body, "description"), timeZone);
              return Json.ok(calendar.calendarJson());
            });
  }

  public Mono<ServerResponse> calendarsGet(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_READ);
    return Json.okUnlessNotModified(
        request, store.resolve(access.email(), request.pathVariable("calendarId")).calendarJson());
  }

  /**
   * calendars.patch: {@code summary}, {@code description} and {@code timeZone} (an IANA name). Only
   * the owner may; these are read-only fields of the calendar list entry, so the entry does not
   * come back in an incremental calendarList (as at Google).
   */
  public Mono<ServerResponse> calendarsPatch(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_WRITE);
    CalendarData calendar = store.resolve(access.email(), request.pathVariable("calendarId"));
    if (!store.role(access.email(), calendar).equals("owner")) {
      throw ApiException.requiredAccessLevel("owner");
    }
    return Requests.json(request)
        .flatMap(
            body -> {
              String summary = Json.text(body, "summary");
              if (body.has("summary") && (summary == null || summary.isBlank())) {
                throw ApiException.required("summary", "Missing title.");
              }
              String timeZone = Json.text(body, "timeZone");
              if (timeZone != null) {
                CalendarStore.checkTimeZone(timeZone);
              }
              calendar.patchCalendar(summary, Json.text(body, "description"), timeZone, now());
              return Json.ok(calendar.calendarJson());
            });
  }

  private java.time.Instant now() {
    return store.clock().instant();
  }

  public Mono<ServerResponse> calendarsDelete(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_WRITE);
    CalendarData calendar = store.resolve(access.email(), request.pathVariable("calendarId"));
    store.delete(access.email(), calendar);
    store.changed(calendar);
    return ServerResponse.noContent().build();
  }
}
