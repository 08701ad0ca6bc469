package io.calsync.query.upcoming.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.UpcomingEventsResponse;
import io.calsync.query.upcoming.domain.UpcomingEventsQuery;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /api/calendar/events/upcoming/} (served with or without the trailing slash). */
@RestController
class UpcomingEventsController {

  private final UpcomingEventsQuery query;

  UpcomingEventsController(UpcomingEventsQuery query) {
    this.query = query;
  }

  @GetMapping(
      path = {ApiPaths.UPCOMING_EVENTS, "/api/calendar/events/upcoming"},
      produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<UpcomingEventsResponse> upcoming(
      @AuthenticationPrincipal Jwt jwt, ServerHttpRequest request) {
    return query.upcoming(jwt.getSubject(), UpcomingParameters.parse(request.getQueryParams()));
  }
}
