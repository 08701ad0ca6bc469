package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.SyncRequestedResponse;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.trigger.ManualSync;
import io.calsync.sync.usecase.ManualSyncService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * Answers 202 at once. A request for a connection whose sync is already queued joins it; otherwise
 * a connection takes one manual sync per {@code calsync.sync.manual-sync-interval} and answers 429
 * {@code rate_limited} with {@code Retry-After} in between (see {@link ManualSyncService#request}).
 */
@RestController
class SyncController {

  private final ManualSyncService syncs;

  SyncController(ManualSyncService syncs) {
    this.syncs = syncs;
  }

  @PostMapping({ApiPaths.SYNC, "/api/calendar/sync"})
  @ResponseStatus(HttpStatus.ACCEPTED)
  Mono<SyncRequestedResponse> sync(
      @AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) Mono<String> body) {
    String user = jwt.getSubject();
    return RequestBodies.json(body)
        .flatMap(
            node -> {
              JsonNode id = node.get("connection_id");
              if (id == null || id.isNull()) {
                return all(syncs.activeConnectionsOf(user));
              }
              if (!id.isString()) {
                throw ProblemException.invalidParameter(
                    "connection_id", "'connection_id' must be a UUID.");
              }
              UUID connectionId = RequestBodies.uuid("connection_id", id.stringValue());
              return syncs
                  .connectionOf(user, connectionId)
                  .switchIfEmpty(Mono.error(() -> ProblemException.notFound("No such connection.")))
                  .flatMap(conn -> conn.active() ? one(conn) : Mono.error(reauth()));
            });
  }

  /** One connection: queued, or 429 while it is in its manual-sync window. */
  private Mono<SyncRequestedResponse> one(Connection conn) {
    return request(conn)
        .map(
            result -> {
              if (result instanceof ManualSync.Limited limited) {
                throw limited(limited.retryAfter());
              }
              return new SyncRequestedResponse(List.of(queued(conn)));
            });
  }

  /**
   * Every active connection of the caller: those in their manual-sync window are left out of the
   * answer; a 429 only when every one is (with the shortest wait). No connections: nothing
   * requested.
   */
  private Mono<SyncRequestedResponse> all(Flux<Connection> active) {
    return active
        .concatMap(conn -> request(conn).map(result -> Map.entry(conn, result)))
        .collectList()
        .map(
            results -> {
              List<SyncRequestedResponse.Requested> queued =
                  results.stream()
                      .filter(r -> r.getValue() instanceof ManualSync.Accepted)
                      .map(r -> queued(r.getKey()))
                      .toList();
              if (queued.isEmpty() && !results.isEmpty()) {
                Duration soonest =
                    results.stream()
                        .map(r -> ((ManualSync.Limited) r.getValue()).retryAfter())
                        .min(Comparator.naturalOrder())
                        .orElseThrow();
                throw limited(soonest);
              }
              return new SyncRequestedResponse(queued);
            });
  }

  private Mono<ManualSync> request(Connection conn) {
    return syncs.request(conn).switchIfEmpty(Mono.error(SyncController::reauth));
  }

  private static SyncRequestedResponse.Requested queued(Connection conn) {
    return new SyncRequestedResponse.Requested(conn.id(), ConnectionSyncState.QUEUED);
  }

  private static ProblemException limited(Duration retryAfter) {
    return ProblemException.rateLimited(
        "A sync of this connection was requested moments ago; try again later.", retryAfter);
  }

  private static ProblemException reauth() {
    return ProblemException.reauthRequired(
        "The connection's Google grant is gone; connect the account again.");
  }
}
