package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.CalendarResponse;
import io.calsync.contract.http.CalendarsResponse;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.usecase.CalendarService;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

@RestController
class CalendarController {

  private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

  private final CalendarService service;

  CalendarController(CalendarService service) {
    this.service = service;
  }

  @GetMapping({ApiPaths.CALENDARS, "/api/calendar/calendars"})
  Mono<CalendarsResponse> calendars(@AuthenticationPrincipal Jwt jwt) {
    return service
        .calendarsOf(jwt.getSubject())
        .map(CalendarController::response)
        .collectList()
        .map(CalendarsResponse::new);
  }

  @PatchMapping({ApiPaths.CALENDAR, "/api/calendar/calendars/{id}"})
  Mono<CalendarResponse> patch(
      @AuthenticationPrincipal Jwt jwt,
      @PathVariable("id") String id,
      @RequestBody(required = false) Mono<String> body) {
    UUID calendarId = RequestBodies.uuid("id", id);
    String user = jwt.getSubject();
    return RequestBodies.json(body)
        .map(CalendarController::change)
        .flatMap(
            change -> {
              Mono<SyncedCalendar> result = Mono.empty();
              if (change.color() != null) {
                result = service.recolor(user, calendarId, change.color());
              }
              if (change.selected() != null) {
                boolean selected = change.selected();
                result =
                    change.color() == null
                        ? service.select(user, calendarId, selected)
                        : result.flatMap(c -> service.select(user, calendarId, selected));
              }
              return result;
            })
        .map(CalendarController::response)
        .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No such calendar.")));
  }

  /** What a PATCH asks: {@code selected} (true/false), {@code color} (#rrggbb), or both. */
  private record Change(Boolean selected, String color) {}

  private static Change change(JsonNode node) {
    JsonNode selected = node.get("selected");
    JsonNode color = node.get("color");
    if (color != null) {
      if (!color.isString() || !COLOR.matcher(color.asString()).matches()) {
        throw ProblemException.invalidParameter(
            "color", "'color' must be a colour as #rrggbb, e.g. #1a73e8.");
      }
    }
    if (selected != null || color == null) {
      if (selected == null || !selected.isBoolean()) {
        throw ProblemException.invalidParameter(
            "selected", "'selected' is required and must be true or false.");
      }
    }
    return new Change(
        selected == null ? null : selected.booleanValue(),
        color == null ? null : color.asString().toLowerCase(Locale.ROOT));
  }

  static CalendarResponse response(SyncedCalendar c) {
    return new CalendarResponse(
        c.id(),
        c.connectionId(),
        c.name(),
        c.primary(),
        c.color(),
        c.timeZone(),
        c.accessRole(),
        c.selected());
  }
}
