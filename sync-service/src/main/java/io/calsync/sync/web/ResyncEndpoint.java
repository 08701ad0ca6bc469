package io.calsync.sync.web;

import io.calsync.sync.usecase.ResyncService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code POST /actuator/resync} on the management port, for operators (scope {@code
 * calendar.admin}, see {@link SecurityConfig}): a full resync of a connection's calendars ({@code
 * connectionId}) or of one calendar ({@code calendarId}, the platform's id), each a member of the
 * JSON body. 202 with what was scheduled ({@link ResyncService.Scheduled}); 404 for an unknown id;
 * 400 naming the parameter when it is not a UUID, or when neither or both are given. Errors are
 * {@link ProblemException}s that {@link ProblemAdvice} answers here as on the API (it serves the
 * management port's handlers too), a database outage included (503).
 */
@Component
@Endpoint(id = "resync")
class ResyncEndpoint {

  static final String PATH = "/actuator/resync";

  private final ResyncService resync;

  ResyncEndpoint(ResyncService resync) {
    this.resync = resync;
  }

  @WriteOperation
  public Mono<WebEndpointResponse<ResyncService.Scheduled>> resync(
      @Nullable String connectionId, @Nullable String calendarId) {
    if ((connectionId == null) == (calendarId == null)) {
      return Mono.error(
          ProblemException.invalidParameter(
              connectionId == null ? "connectionId" : "calendarId",
              "Give exactly one of connectionId and calendarId."));
    }
    String parameter = connectionId != null ? "connectionId" : "calendarId";
    UUID id;
    try {
      id = UUID.fromString(connectionId != null ? connectionId : calendarId);
    } catch (IllegalArgumentException e) {
      return Mono.error(
          ProblemException.invalidParameter(parameter, parameter + " must be a UUID."));
    }
    Mono<ResyncService.Scheduled> scheduled =
        connectionId != null ? resync.connection(id) : resync.calendar(id);
    return scheduled
        .map(
            s ->
                new WebEndpointResponse<>(
                    s, HttpStatus.ACCEPTED.value(), MediaType.APPLICATION_JSON))
        .switchIfEmpty(
            Mono.error(
                () ->
                    ProblemException.notFound(
                        "No "
                            + (connectionId != null ? "connection" : "calendar")
                            + " with this id.")));
  }
}
