package io.calsync.oauth.connection;

import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.domain.ConnectionSummary;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.calsync.oauth.problem.ProblemException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code GET /actuator/connections[?status=reauth_required][&limit=100]} on the management port,
 * for operators (scope {@code calendar.admin}, {@code config.SecurityConfig}): how many connections
 * are in each status, and the most recently updated ones (in {@code status} when given, at most
 * {@code limit}, default 100, at most 1000) with why they left {@code active}. No tokens and no
 * Google account: an operator finds the connection by id and user, not by e-mail address.
 */
@Component
@WebEndpoint(id = "connections")
class ConnectionsEndpoint {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ConnectionRepository connections;

  ConnectionsEndpoint(ConnectionRepository connections) {
    this.connections = connections;
  }

  @ReadOperation
  Mono<ConnectionsReport> connections(@Nullable String status, @Nullable String limit) {
    return Mono.defer(
        () -> {
          ConnectionStatus wanted = status(status);
          int max = limit(limit);
          return Mono.zip(
              connections.countByStatus().map(ConnectionsEndpoint::withZeros),
              connections.findRecent(wanted, max).map(Listed::of).collectList(),
              ConnectionsReport::new);
        });
  }

  /** The answer: every status' count (0 included), then the listed connections. */
  record ConnectionsReport(Map<String, Long> counts, List<Listed> connections) {}

  /** A listed connection, its status as the API writes it. */
  record Listed(
      UUID id,
      String userId,
      String status,
      @Nullable String statusReason,
      Instant createdAt,
      Instant updatedAt) {

    static Listed of(ConnectionSummary c) {
      return new Listed(
          c.id(), c.userId(), c.status().dbValue(), c.statusReason(), c.createdAt(), c.updatedAt());
    }
  }

  private static Map<String, Long> withZeros(Map<ConnectionStatus, Long> counted) {
    Map<ConnectionStatus, Long> all = new EnumMap<>(ConnectionStatus.class);
    for (ConnectionStatus s : ConnectionStatus.values()) {
      all.put(s, counted.getOrDefault(s, 0L));
    }
    return all.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> e.getKey().dbValue(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private static @Nullable ConnectionStatus status(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return ConnectionStatus.fromDbValue(value);
    } catch (IllegalArgumentException unknown) {
      throw ProblemException.invalidParameter(
          "status",
          "status must be one of "
              + Arrays.stream(ConnectionStatus.values())
                  .map(ConnectionStatus::dbValue)
                  .collect(Collectors.joining(", "))
              + ".");
    }
  }

  private static int limit(@Nullable String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ProblemException.invalidParameter(
        "limit", "limit must be a whole number from 1 to " + MAX_LIMIT + ".");
  }
}
