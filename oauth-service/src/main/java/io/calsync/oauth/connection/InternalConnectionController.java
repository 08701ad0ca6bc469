package io.calsync.oauth.connection;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.ConnectionStatus;
import io.calsync.contract.http.InternalConnectionResponse;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.problem.ProblemException;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Internal API for sync-service: a live connection by id, for a connection whose {@code
 * connection.connected} sync-service has not consumed yet (read-your-writes; decision 13 of the
 * module README). Security guards it like the access-token API ({@code config/InternalCallers});
 * the gateway never routes {@code /internal/**}. A disconnected connection is history: 404, like an
 * unknown one.
 */
@RestController
class InternalConnectionController {

  private final ConnectionService connections;

  InternalConnectionController(ConnectionService connections) {
    this.connections = connections;
  }

  @GetMapping({ApiPaths.INTERNAL_CONNECTION, ApiPaths.INTERNAL_CONNECTION + "/"})
  Mono<ResponseEntity<InternalConnectionResponse>> connection(@PathVariable("id") String id) {
    UUID connectionId = ConnectionController.parseId(id);
    return connections
        .findLive(connectionId)
        .switchIfEmpty(
            Mono.error(
                () -> ProblemException.notFound("Connection " + connectionId + " was not found.")))
        .map(c -> ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(toResponse(c)));
  }

  private static InternalConnectionResponse toResponse(Connection c) {
    return new InternalConnectionResponse(
        c.id(),
        c.userId(),
        switch (c.status()) {
          case ACTIVE -> ConnectionStatus.ACTIVE;
          case REAUTH_REQUIRED, DISCONNECTED -> ConnectionStatus.REAUTH_REQUIRED;
        },
        c.accountEmail(),
        c.updatedAt().atOffset(ZoneOffset.UTC));
  }
}
