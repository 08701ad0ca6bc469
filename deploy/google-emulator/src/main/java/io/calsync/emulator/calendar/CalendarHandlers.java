package io.calsync.emulator.calendar;

import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Calendar API v3: calendarList, calendars, events. */
public final class CalendarHandlers {

  private static final List<String> FORBIDDEN_WITH_SYNC_TOKEN =
      List.of(
          "iCalUID",
          "orderBy",
          "privateExtendedProperty",
          "q",
          "sharedExtendedProperty",
          "timeMin",
          "timeMax",
          "updatedMin");

  private final CalendarStore store;
  private final BearerAuth auth;

  public CalendarHandlers(CalendarStore store, BearerAuth auth) {
    this.store = store;
    this.auth = auth;
  }

  private Instant now() {
    return store.clock().instant();
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

  // ------------------------------------------------------------------ events

  private CalendarData calendar(ServerRequest request, Set<String> scopes) {
    OAuthStore.AccessToken access = auth.authenticate(request, scopes);
    return store.resolve(access.email(), request.pathVariable("calendarId"));
  }

  public Mono<ServerResponse> eventsList(ServerRequest request) {
    CalendarData calendar = calendar(request, Scopes.EVENTS_READ);
    ListQuery query = parseListQuery(request);
    ListResult result = calendar.list(query, now());
    ObjectNode body = eventsEnvelope(calendar, query.timeZone());
    ArrayNode items = body.putArray("items");
    result.items().forEach(items::add);
    if (result.nextPageToken() != null) {
      body.put("nextPageToken", result.nextPageToken());
    }
    if (result.nextSyncToken() != null) {
      body.put("nextSyncToken", result.nextSyncToken());
    }
    return Json.ok(body);
  }

  private ObjectNode eventsEnvelope(CalendarData calendar, String timeZone) {
    ObjectNode body = Json.object();
    body.put("kind", "calendar#events");
    body.put("etag", calendar.etag());
    body.put("summary", calendar.summary());
    if (calendar.description() != null) {
      body.put("description", calendar.description());
    }
    body.put("updated", Json.timestamp(calendar.updated()));
    body.put("timeZone", timeZone != null ? timeZone : calendar.timeZone());
    body.put("accessRole", "owner");
    ArrayNode reminders = body.putArray("defaultReminders");
    if (calendar.primary()) {
      ObjectNode reminder = reminders.addObject();
      reminder.put("method", "popup");
      reminder.put("minutes", 10);
    }
    return body;
  }

  static ListQuery parseListQuery(ServerRequest request) {
    var params = request.queryParams();
    String syncToken = params.getFirst("syncToken");
    if (syncToken != null) {
      for (String forbidden : FORBIDDEN_WITH_SYNC_TOKEN) {
        if (params.containsKey(forbidden)) {
          throw ApiException.badRequest(
              "invalid",
              "The " + forbidden + " parameter cannot be used with a sync token.",
              forbidden);
        }
      }
    }
    int maxResults = intParam(request, "maxResults", 250, 1, 2500);
    boolean singleEvents = boolParam(request, "singleEvents");
    String orderBy = params.getFirst("orderBy");
    if (orderBy != null) {
      if (!orderBy.equals("startTime") && !orderBy.equals("updated")) {
        throw ApiException.badRequest("invalid", "Invalid value for orderBy.", "orderBy");
      }
      if (orderBy.equals("startTime") && !singleEvents) {
        throw ApiException.badRequest(
            "badRequest",
            "The requested ordering is not available for the particular query.",
            "orderBy");
      }
    }
    Instant timeMin =
        params.getFirst("timeMin") == null
            ? null
            : EventTime.parseQueryTimestamp(params.getFirst("timeMin"), "timeMin");
    Instant timeMax =
        params.getFirst("timeMax") == null
            ? null
            : EventTime.parseQueryTimestamp(params.getFirst("timeMax"), "timeMax");
    if (timeMin != null && timeMax != null && !timeMax.isAfter(timeMin)) {
      throw new ApiException(
          400,
          "calendar",
          "timeRangeEmpty",
          "The specified time range is empty.",
          "parameter",
          "timeMax");
    }
    Instant updatedMin =
        params.getFirst("updatedMin") == null
            ? null
            : EventTime.parseQueryTimestamp(params.getFirst("updatedMin"), "updatedMin");
    Set<String> eventTypes = new LinkedHashSet<>();
    List<String> types = params.get("eventTypes");
    if (types != null) {
      types.forEach(t -> eventTypes.addAll(List.of(t.split(","))));
    }
    String timeZone = params.getFirst("timeZone");
    if (timeZone != null) {
      try {
        java.time.ZoneId.of(timeZone);
      } catch (java.time.DateTimeException e) {
        throw ApiException.badRequest("invalid", "Invalid time zone.", "timeZone");
      }
    }
    return new ListQuery(
        maxResults,
        params.getFirst("pageToken"),
        syncToken,
        boolParam(request, "showDeleted"),
        singleEvents,
        timeMin,
        timeMax,
        orderBy,
        updatedMin,
        params.getFirst("q"),
        params.getFirst("iCalUID"),
        params.get("privateExtendedProperty"),
        params.get("sharedExtendedProperty"),
        eventTypes,
        timeZone);
  }

  static int intParam(ServerRequest request, String name, int defaultValue, int min, int max) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get().trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "invalid",
          "Invalid value '"
              + raw.get()
              + "'. Values must "
              + "match the following regular expression: '[0-9]+'",
          name);
    }
    if (value < min) {
      throw ApiException.badRequest(
          "invalid",
          "Invalid value '"
              + value
              + "'. Values must be "
              + "within the range: ["
              + min
              + ", "
              + max
              + "]",
          name);
    }
    return Math.min(value, max);
  }

  static boolean boolParam(ServerRequest request, String name) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return false;
    }
    return switch (raw.get()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiException.badRequest(
              "invalid", "Invalid boolean value: '" + raw.get() + "'.", name);
    };
  }

  public Mono<ServerResponse> eventsGet(ServerRequest request) {
    CalendarData calendar = calendar(request, Scopes.EVENTS_READ);
    return Json.ok(calendar.get(request.pathVariable("eventId")));
  }

  public Mono<ServerResponse> eventsInstances(ServerRequest request) {
    CalendarData calendar = calendar(request, Scopes.EVENTS_READ);
    var params = request.queryParams();
    int maxResults = intParam(request, "maxResults", 250, 1, 2500);
    Instant timeMin =
        params.getFirst("timeMin") == null
            ? null
            : EventTime.parseQueryTimestamp(params.getFirst("timeMin"), "timeMin");
    Instant timeMax =
        params.getFirst("timeMax") == null
            ? null
            : EventTime.parseQueryTimestamp(params.getFirst("timeMax"), "timeMax");
    if (timeMin != null && timeMax != null && !timeMax.isAfter(timeMin)) {
      throw new ApiException(
          400,
          "calendar",
          "timeRangeEmpty",
          "The specified time range is empty.",
          "parameter",
          "timeMax");
    }
    ListResult result =
        calendar.instances(
            request.pathVariable("eventId"),
            maxResults,
            params.getFirst("pageToken"),
            boolParam(request, "showDeleted"),
            timeMin,
            timeMax,
            now());
    ObjectNode body = eventsEnvelope(calendar, params.getFirst("timeZone"));
    ArrayNode items = body.putArray("items");
    result.items().forEach(items::add);
    if (result.nextPageToken() != null) {
      body.put("nextPageToken", result.nextPageToken());
    }
    return Json.ok(body);
  }

  private Mono<ObjectNode> objectBody(ServerRequest request) {
    return Requests.json(request)
        .map(
            node -> {
              if (!node.isObject()) {
                throw ApiException.parseError();
              }
              return (ObjectNode) node;
            });
  }

  public Mono<ServerResponse> eventsInsert(ServerRequest request) {
    return writeEvent(request, (calendar, body) -> calendar.insert(body, now()));
  }

  public Mono<ServerResponse> eventsPatch(ServerRequest request) {
    return writeEvent(
        request,
        (calendar, body) ->
            calendar.patch(
                request.pathVariable("eventId"),
                body,
                request.headers().firstHeader("If-Match"),
                now()));
  }

  public Mono<ServerResponse> eventsUpdate(ServerRequest request) {
    return writeEvent(
        request,
        (calendar, body) ->
            calendar.update(
                request.pathVariable("eventId"),
                body,
                request.headers().firstHeader("If-Match"),
                now()));
  }

  /**
   * An event write: checks the write scope, applies it, announces the change, answers the event.
   */
  private Mono<ServerResponse> writeEvent(
      ServerRequest request,
      java.util.function.BiFunction<CalendarData, ObjectNode, ObjectNode> write) {
    CalendarData calendar = calendar(request, Scopes.EVENTS_WRITE);
    return objectBody(request)
        .flatMap(
            body -> {
              ObjectNode written = write.apply(calendar, body);
              store.changed(calendar);
              return Json.ok(written);
            });
  }

  public Mono<ServerResponse> eventsDelete(ServerRequest request) {
    CalendarData calendar = calendar(request, Scopes.EVENTS_WRITE);
    calendar.delete(
        request.pathVariable("eventId"), request.headers().firstHeader("If-Match"), now());
    store.changed(calendar);
    return ServerResponse.noContent().build();
  }
}
