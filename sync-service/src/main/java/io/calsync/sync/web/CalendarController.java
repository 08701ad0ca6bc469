package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.CalendarResponse;
import io.calsync.contract.http.CalendarsResponse;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.usecase.CalendarService;
import java.util.UUID;
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
    return RequestBodies.json(body)
        .map(
            node -> {
              JsonNode selected = node.get("selected");
              if (selected == null || !selected.isBoolean()) {
                throw ProblemException.invalidParameter(
                    "selected", "'selected' is required and must be true or false.");
              }
              return selected.booleanValue();
            })
        .flatMap(selected -> service.select(jwt.getSubject(), calendarId, selected))
        .map(CalendarController::response)
        .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No such calendar.")));
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
