package io.calsync.oauth.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.domain.Connection;
import io.calsync.oauth.domain.ConnectionStatus;
import io.calsync.oauth.persistence.ConnectionRepository;
import io.calsync.oauth.support.OAuthServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/** Connections by status as operators see them, counted from the database. */
@OAuthServiceTest
class ConnectionGaugesApplicationTests {

  @Autowired ConnectionGauges gauges;
  @Autowired ConnectionRepository connections;
  @Autowired MeterRegistry meters;
  @Autowired Clock clock;

  @Test
  void shouldCountConnectionsByStatus() {
    gauges.refresh().as(StepVerifier::create).verifyComplete();
    double active = count(ConnectionStatus.ACTIVE);
    double reauth = count(ConnectionStatus.REAUTH_REQUIRED);

    String user = "user-" + UUID.randomUUID();
    Connection first = connect(user);
    connect(user);
    connect(user);
    connections
        .updateStatus(first.id(), ConnectionStatus.REAUTH_REQUIRED, clock.instant())
        .as(StepVerifier::create)
        .verifyComplete();
    gauges.refresh().as(StepVerifier::create).verifyComplete();

    assertThat(count(ConnectionStatus.ACTIVE)).isEqualTo(active + 2);
    assertThat(count(ConnectionStatus.REAUTH_REQUIRED)).isEqualTo(reauth + 1);
  }

  private Connection connect(String user) {
    return connections
        .upsertActive(
            UUID.randomUUID(),
            user,
            "sub-" + UUID.randomUUID(),
            "someone@example.com",
            List.of(),
            clock.instant())
        .block();
  }

  private double count(ConnectionStatus status) {
    return meters.get("calsync.oauth.connections").tag("status", status.dbValue()).gauge().value();
  }
}
