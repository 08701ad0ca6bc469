package io.calsync.oauth.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real infrastructure of the service tests, started once per test JVM and shared by every test
 * class: embedded PostgreSQL (database {@code oauth}), an in-process Kafka (KRaft) broker and an
 * in-process OIDC issuer ({@code dev}) that mints real signed JWTs. Stopped when the JVM exits.
 */
public final class TestInfrastructure {

  public static final String ISSUER_ID = "dev";
  public static final String DATABASE = "oauth";

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafkaKraftBroker kafka;
  private static MockOAuth2Server oidc;

  private TestInfrastructure() {}

  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
            Statement statement = connection.createStatement()) {
          statement.execute("create database " + DATABASE);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::closePostgres));
    }
    return postgres;
  }

  public static synchronized EmbeddedKafkaKraftBroker kafka() {
    if (kafka == null) {
      kafka = new EmbeddedKafkaKraftBroker(1, 3);
      kafka.brokerProperties(
          Map.of(
              "auto.create.topics.enable", "false",
              "offsets.topic.num.partitions", "1",
              "group.initial.rebalance.delay.ms", "0"));
      kafka.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(kafka::destroy));
    }
    return kafka;
  }

  public static synchronized MockOAuth2Server oidc() {
    if (oidc == null) {
      oidc = new MockOAuth2Server();
      oidc.start(0);
      Runtime.getRuntime().addShutdownHook(new Thread(oidc::shutdown));
    }
    return oidc;
  }

  public static String issuerUri() {
    return oidc().issuerUrl(ISSUER_ID).toString();
  }

  private static void closePostgres() {
    try {
      postgres.close();
    } catch (IOException e) {
      // the JVM is exiting
    }
  }
}
