package io.calsync.sync.trigger.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.SyncRequestedResponse;
import io.calsync.contract.problem.ProblemCodes;
import io.calsync.sync.connection.domain.Connection;
import io.calsync.sync.connection.persistence.ConnectionRepository;
import io.calsync.sync.engine.domain.ConnectionSyncState;
import io.calsync.sync.trigger.domain.SyncCoordinator;
import io.calsync.sync.web.ProblemException;
import io.calsync.sync.web.RequestBodies;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/calendar/sync/}: "sync now" for one of the caller's connections, or all of them.
 * Answers 202 at once; repeated requests coalesce (see {@link SyncCoordinator}).
 */
@RestController
class SyncController {

  private final ConnectionRepository connections;
  private final SyncCoordinator coordinator;

  SyncController(ConnectionRepository connections, SyncCoordinator coordinator) {
    this.connections = connections;
    this.coordinator = coordinator;
  }

  @PostMapping({ApiPaths.SYNC, "/api/calendar/sync"})
  @ResponseStatus(HttpStatus.ACCEPTED)
  Mono<SyncRequestedResponse> sync(
      @AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Mono<String> body) {
    String user = jwt.getSubject();
    return RequestBodies.json(body)
        .flatMapMany(
            node -> {
              JsonNode id = node.get("connection_id");
              if (id == null || id.isNull()) {
                return connections.findByUser(user).filter(Connection::active);
              }
              if (!id.isString()) {
                throw ProblemException.invalidParameter("connection_id", "'connection_id' must be a UUID.");
              }
              UUID connectionId = RequestBodies.uuid("connection_id", id.stringValue());
              return connections
                  .findForUser(connectionId, user)
                  .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No such connection.")))
                  .flatMapMany(
                      conn ->
                          conn.active()
                              ? Flux.just(conn)
                              : Flux.error(reauth()));
            })
        .concatMap(
            conn ->
                coordinator
                    .request(conn.id())
                    .switchIfEmpty(Mono.error(SyncController::reauth))
                    .map(state -> new SyncRequestedResponse.Requested(conn.id(), ConnectionSyncState.QUEUED)))
        .collectList()
        .map(SyncRequestedResponse::new);
  }

  private static ProblemException reauth() {
    return new ProblemException(
        HttpStatus.CONFLICT,
        ProblemCodes.REAUTH_REQUIRED,
        "The connection's Google grant is gone; connect the account again.",
        null);
  }
}
