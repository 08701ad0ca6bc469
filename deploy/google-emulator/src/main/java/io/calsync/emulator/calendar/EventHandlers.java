package io.calsync.emulator.calendar;

import static io.calsync.emulator.calendar.QueryParams.boolParam;
import static io.calsync.emulator.calendar.QueryParams.intParam;

import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
import java.time.Instant;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Calendar API v3: events (list, get, instances, insert, patch, update, delete). */
public final class EventHandlers {

  private final CalendarStore store;
  private final BearerAuth auth;

  public EventHandlers(CalendarStore store, BearerAuth auth) {
    this.store = store;
    this.auth = auth;
  }

  private Instant now() {
    return store.clock().instant();
  }

  /** The calendar of the request and the caller's role on it. */
  private record Target(CalendarData calendar, String role) {

    /** What the caller may see of an event: free/busy readers only get its time. */
    ObjectNode visible(ObjectNode event) {
      return role.equals("freeBusyReader") ? FreeBusy.of(event) : event;
    }
  }

  private Target target(ServerRequest request, Set<String> scopes) {
    OAuthStore.AccessToken access = auth.authenticate(request, scopes);
    CalendarStore.Entry entry =
        store
            .entry(access.email(), request.pathVariable("calendarId"))
            .orElseThrow(ApiException::notFound);
    return new Target(entry.calendar(), entry.role());
  }

  /** The calendar of an event write: the caller must be a writer or the owner (403 otherwise). */
  private CalendarData writable(ServerRequest request) {
    Target target = target(request, Scopes.EVENTS_WRITE);
    if (!target.role().equals("writer") && !target.role().equals("owner")) {
      throw ApiException.requiredAccessLevel("writer");
    }
    return target.calendar();
  }

  public Mono<ServerResponse> eventsList(ServerRequest request) {
    Target target = target(request, Scopes.EVENTS_READ);
    CalendarData calendar = target.calendar();
    ListQuery query = QueryParams.listQuery(request);
    ListResult result = calendar.list(query, now());
    ObjectNode body = eventsEnvelope(target, query.timeZone());
    ArrayNode items = body.putArray("items");
    result.items().forEach(item -> items.add(target.visible(item)));
    if (result.nextPageToken() != null) {
      body.put("nextPageToken", result.nextPageToken());
    }
    if (result.nextSyncToken() != null) {
      body.put("nextSyncToken", result.nextSyncToken());
    }
    return Json.ok(body);
  }

  private ObjectNode eventsEnvelope(Target target, String timeZone) {
    CalendarData calendar = target.calendar();
    ObjectNode body = Json.object();
    body.put("kind", "calendar#events");
    body.put("etag", calendar.etag());
    body.put("summary", calendar.summary());
    if (calendar.description() != null) {
      body.put("description", calendar.description());
    }
    body.put("updated", Json.timestamp(calendar.updated()));
    body.put("timeZone", timeZone != null ? timeZone : calendar.timeZone());
    body.put("accessRole", target.role());
    ArrayNode reminders = body.putArray("defaultReminders");
    if (calendar.primary()) {
      ObjectNode reminder = reminders.addObject();
      reminder.put("method", "popup");
      reminder.put("minutes", 10);
    }
    return body;
  }

  public Mono<ServerResponse> eventsGet(ServerRequest request) {
    Target target = target(request, Scopes.EVENTS_READ);
    return Json.okUnlessNotModified(
        request, target.visible(target.calendar().get(request.pathVariable("eventId"))));
  }

  public Mono<ServerResponse> eventsInstances(ServerRequest request) {
    Target target = target(request, Scopes.EVENTS_READ);
    CalendarData calendar = target.calendar();
    var params = request.queryParams();
    int maxResults = intParam(request, "maxResults", 250, 1, 2500);
    QueryParams.TimeRange range = QueryParams.timeRange(params);
    ListResult result =
        calendar.instances(
            request.pathVariable("eventId"),
            maxResults,
            params.getFirst("pageToken"),
            boolParam(request, "showDeleted"),
            range.min(),
            range.max(),
            now());
    ObjectNode body = eventsEnvelope(target, params.getFirst("timeZone"));
    ArrayNode items = body.putArray("items");
    result.items().forEach(item -> items.add(target.visible(item)));
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
    CalendarData calendar = writable(request);
    return objectBody(request)
        .flatMap(
            body -> {
              ObjectNode written = write.apply(calendar, body);
              store.changed(calendar);
              return Json.ok(written);
            });
  }

  public Mono<ServerResponse> eventsDelete(ServerRequest request) {
    CalendarData calendar = writable(request);
    calendar.delete(
        request.pathVariable("eventId"), request.headers().firstHeader("If-Match"), now());
    store.changed(calendar);
    return ServerResponse.noContent().build();
  }
}
