package io.calsync.sync.web;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.sync.usecase.ResyncService;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * connectionId}) or of one calendar ({@code calendarId}, the platform's id), given as a JSON body
 * member or a query parameter. 202 with what was scheduled ({@link ResyncService.Scheduled}); 404
 * for an unknown id; 400 naming the parameter when it is not a UUID, or when neither or both are
 * given; 503 when the database is away.
 */
@Component
@Endpoint(id = "resync")
class ResyncEndpoint {

  static final String PATH = "/actuator/resync";
  private static final Logger log = LoggerFactory.getLogger(ResyncEndpoint.class);

  private final ResyncService resync;

  ResyncEndpoint(ResyncService resync) {
    this.resync = resync;
  }

  @WriteOperation
  public Mono<WebEndpointResponse<Object>> resync(
      @Nullable String connectionId, @Nullable String calendarId) {
    if ((connectionId == null) == (calendarId == null)) {
      return Mono.just(
          invalid(
              connectionId == null ? "connectionId" : "calendarId",
              "Give exactly one of connectionId and calendarId."));
    }
    String parameter = connectionId != null ? "connectionId" : "calendarId";
    UUID id;
    try {
      id = UUID.fromString(connectionId != null ? connectionId : calendarId);
    } catch (IllegalArgumentException e) {
      return Mono.just(invalid(parameter, parameter + " must be a UUID."));
    }
    Mono<ResyncService.Scheduled> scheduled =
        connectionId != null ? resync.connection(id) : resync.calendar(id);
    return scheduled
        .map(
            s ->
                new WebEndpointResponse<Object>(
                    s, HttpStatus.ACCEPTED.value(), MediaType.APPLICATION_JSON))
        .defaultIfEmpty(
            OperatorProblems.problem(
                HttpStatus.NOT_FOUND,
                ProblemCodes.NOT_FOUND,
                "No " + (connectionId != null ? "connection" : "calendar") + " with this id.",
                null,
                PATH))
        .onErrorResume(
            e -> {
              log.warn("resync could not be scheduled: {}", e.toString());
              return Mono.just(
                  OperatorProblems.problem(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      ProblemCodes.UPSTREAM_UNAVAILABLE,
                      "The resync could not be scheduled; try again.",
                      null,
                      PATH));
            });
  }

  private static WebEndpointResponse<Object> invalid(String parameter, String detail) {
    return OperatorProblems.problem(
        HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, detail, parameter, PATH);
  }
}
