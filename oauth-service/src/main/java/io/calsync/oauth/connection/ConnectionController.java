package io.calsync.oauth.connection;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.ConnectionResponse;
import io.calsync.contract.http.ConnectionStatus;
import io.calsync.contract.http.ConnectionsResponse;
import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.problem.ProblemException;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The caller's connected Google accounts. */
@RestController
class ConnectionController {

  private final ConnectionService connections;

  ConnectionController(ConnectionService connections) {
    this.connections = connections;
  }

  @GetMapping({ApiPaths.CONNECTIONS, "/api/calendar/connections"})
  Mono<ConnectionsResponse> list(@AuthenticationPrincipal Jwt jwt) {
    return connections
        .list(jwt.getSubject())
        .map(ConnectionController::toResponse)
        .collectList()
        .map(ConnectionsResponse::new);
  }

  @DeleteMapping({ApiPaths.CONNECTION, "/api/calendar/connections/{id}"})
  @ResponseStatus(HttpStatus.NO_CONTENT)
  Mono<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable("id") String id) {
    return connections.disconnect(jwt.getSubject(), parseId(id));
  }

  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  static UUID parseId(String id) {
    if (id == null || !UUID_TEXT.matcher(id).matches()) {
      throw ProblemException.invalidParameter("id", "id must be a connection id (a UUID).");
    }
    return UUID.fromString(id);
  }

  static ConnectionResponse toResponse(Connection connection) {
    return new ConnectionResponse(
        connection.id(),
        connection.provider(),
        connection.accountEmail(),
        switch (connection.status()) {
          case ACTIVE -> ConnectionStatus.ACTIVE;
          case REAUTH_REQUIRED, DISCONNECTED -> ConnectionStatus.REAUTH_REQUIRED;
        },
        connection.scopes(),
        connection.createdAt().atOffset(ZoneOffset.UTC),
        connection.updatedAt().atOffset(ZoneOffset.UTC));
  }
}
