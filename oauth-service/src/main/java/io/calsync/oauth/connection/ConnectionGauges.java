package io.calsync.oauth.connection;

import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code calsync_oauth_connections{status}}: connections by status ({@code active}, {@code
 * reauth_required}, {@code disconnected}), so a surge of grants to reconnect shows as a rising
 * {@code reauth_required}.
 */
@Component
class ConnectionGauges {

  private static final Logger log = LoggerFactory.getLogger(ConnectionGauges.class);

  private final ConnectionRepository connections;
  private final Map<ConnectionStatus, AtomicLong> counts = new EnumMap<>(ConnectionStatus.class);

  ConnectionGauges(ConnectionRepository connections, MeterRegistry meters) {
    this.connections = connections;
    for (ConnectionStatus status : ConnectionStatus.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(status, count);
      Gauge.builder("calsync.oauth.connections", count, AtomicLong::get)
          .description("Connections by status")
          .tag("status", status.dbValue())
          .register(meters);
    }
  }

  /**
   * Reads the figures again; every instance reports the same database-wide values (dashboards take
   * their {@code max}), and a failed read keeps the last ones.
   */
  @Scheduled(initialDelay = 0, fixedDelayString = "${calsync.metrics.stored-state-interval:15s}")
  Mono<Void> refresh() {
    return connections
        .countByStatus()
        .doOnNext(
            found -> counts.forEach((status, count) -> count.set(found.getOrDefault(status, 0L))))
        .onErrorResume(
            e -> {
              log.warn("Gauges not refreshed, keeping the last values: {}", e.toString());
              return Mono.empty();
            })
        .then();
  }
}
