package io.calsync.emulator.calendar;

import static io.calsync.emulator.calendar.QueryParams.boolParam;
import static io.calsync.emulator.calendar.QueryParams.intParam;

import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
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
    int offset = 0;
    Optional<String> pageToken = request.queryParam("pageToken");
    if (pageToken.isPresent()) {
      try {
        offset =
            Integer.parseInt(
                new String(java.util.Base64.getUrlDecoder().decode(pageToken.get())).substring(2));
      } catch (RuntimeException e) {
        throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
      }
    }
    String email = access.email();
    long version = store.listVersion(email);
    Optional<String> syncToken = request.queryParam("syncToken");
    if (syncToken.isPresent()) {
      if (request.queryParam("minAccessRole").isPresent()) {
        throw ApiException.badRequest(
            "invalid",
            "The minAccessRole parameter cannot be used with a sync token.",
            "minAccessRole");
      }
      long tokenVersion;
      try {
        tokenVersion =
            Long.parseLong(
                new String(java.util.Base64.getUrlDecoder().decode(syncToken.get())).substring(2));
      } catch (RuntimeException e) {
        throw ApiException.fullSyncRequired();
      }
      if (tokenVersion > version) {
        throw ApiException.fullSyncRequired();
      }
      if (tokenVersion == version) {
        ObjectNode body = listEnvelope(email);
        body.putArray("items");
        body.put("nextSyncToken", listToken("l:", version));
        return Json.ok(body);
      }
    }
    List<ObjectNode> entries = new java.util.ArrayList<>();
    store.list(email).forEach(c -> entries.add(listEntry(c)));
    // Deleted entries come back with a sync token (always) or with showDeleted=true.
    if (syncToken.isPresent() || boolParam(request, "showDeleted")) {
      for (String removedId : store.removedFromList(email)) {
        ObjectNode gone = Json.object();
        gone.put("kind", "calendar#calendarListEntry");
        gone.put("etag", "\"" + Long.toString(version, 10) + "\"");
        gone.put("id", removedId);
        gone.put("deleted", true);
        entries.add(gone);
      }
    }
    ObjectNode body = listEnvelope(email);
    ArrayNode items = body.putArray("items");
    int end = Math.min(entries.size(), offset + maxResults);
    for (int i = offset; i < end; i++) {
      items.add(entries.get(i));
    }
    if (end < entries.size()) {
      body.put("nextPageToken", listToken("o:", end));
    } else {
      body.put("nextSyncToken", listToken("l:", version));
    }
    return Json.ok(body);
  }

  private static String listToken(String prefix, long value) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((prefix + value).getBytes());
  }

  private ObjectNode listEnvelope(String email) {
    ObjectNode body = Json.object();
    body.put("kind", "calendar#calendarList");
    body.put("etag", "\"p" + Long.toString(store.listVersion(email) * 7919 + 1000003, 36) + "\"");
    return body;
  }

  private ObjectNode listEntry(CalendarData calendar) {
    ObjectNode entry = Json.object();
    entry.put("kind", "calendar#calendarListEntry");
    entry.put("etag", calendar.etag());
    entry.put("id", calendar.id());
    entry.put("summary", calendar.summary());
    if (calendar.description() != null) {
      entry.put("description", calendar.description());
    }
    entry.put("timeZone", calendar.timeZone());
    entry.put("colorId", calendar.primary() ? "14" : "7");
    entry.put("backgroundColor", calendar.primary() ? "#9fe1e7" : "#42d692");
    entry.put("foregroundColor", "#000000");
    entry.put("selected", true);
    entry.put("accessRole", "owner");
    ArrayNode reminders = entry.putArray("defaultReminders");
    if (calendar.primary()) {
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
    CalendarData calendar = store.resolve(access.email(), request.pathVariable("calendarId"));
    return Json.ok(listEntry(calendar));
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
                try {
                  java.time.ZoneId.of(timeZone);
                } catch (java.time.DateTimeException e) {
                  throw ApiException.badRequest("invalid", "Invalid time zone.", null);
                }
              }
              CalendarData calendar =
                  store.createSecondary(
                      access.email(), summary, Json.text(body, "description"), timeZone);
              return Json.ok(calendar.calendarJson());
            });
  }

  public Mono<ServerResponse> calendarsGet(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_READ);
    return Json.ok(
        store.resolve(access.email(), request.pathVariable("calendarId")).calendarJson());
  }

  public Mono<ServerResponse> calendarsDelete(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.CALENDARS_WRITE);
    CalendarData calendar = store.resolve(access.email(), request.pathVariable("calendarId"));
    store.delete(access.email(), calendar);
    store.changed(calendar);
    return ServerResponse.noContent().build();
  }
}
