package io.calsync.query.support;

import io.calsync.contract.kafka.Topics;
import io.calsync.testsupport.DatabaseProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real infrastructure of the service's Spring tests, started once per JVM and shared by every
 * test context: embedded PostgreSQL (database {@code events}, reached by the service through a
 * {@link DatabaseProxy}, so a test can take it away), an in-process KRaft Kafka broker and an
 * in-process OIDC issuer ({@code dev}) that signs real JWTs. Tests isolate themselves with fresh
 * user and connection ids instead of cleaning up.
 */
public class TestInfrastructure
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  public static final String ISSUER_ID = "dev";

  private static EmbeddedPostgres postgres;
  private static DatabaseProxy database;
  private static EmbeddedKafkaKraftBroker kafka;
  private static MockOAuth2Server oauth;

  static synchronized void start() {
    if (postgres != null) {
      return;
    }
    try {
      postgres = EmbeddedPostgres.builder().start();
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create database events");
      }
      database = new DatabaseProxy(postgres.getPort());
    } catch (Exception e) {
      throw new IllegalStateException("embedded PostgreSQL did not start", e);
    }
    kafka = new EmbeddedKafkaKraftBroker(1, 3, Topics.EVENT_CHANGES, Topics.CONNECTIONS);
    kafka.afterPropertiesSet();
    oauth = new MockOAuth2Server();
    oauth.start();
  }

  /** JDBC connections, as the superuser, to {@code database} of the embedded PostgreSQL. */
  public static javax.sql.DataSource dataSource(String database) {
    start();
    return postgres.getDatabase("postgres", database);
  }

  public static MockOAuth2Server oauth() {
    start();
    return oauth;
  }

  /** Between the service's R2DBC pool and PostgreSQL: a test can cut the database off. */
  public static DatabaseProxy database() {
    start();
    return database;
  }

  public static EmbeddedKafkaKraftBroker kafka() {
    start();
    return kafka;
  }

  /** A signed user token for {@code userId} with audience {@code calendar}. */
  public static String tokenFor(String userId) {
    return oauth().issueToken(ISSUER_ID, userId, "calendar").serialize();
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    start();
    int port = postgres.getPort();
    TestPropertyValues.of(
            "spring.r2dbc.url=r2dbc:postgresql://127.0.0.1:" + database.port() + "/events",
            "spring.r2dbc.username=postgres",
            "spring.r2dbc.password=postgres",
            "spring.flyway.url=jdbc:postgresql://localhost:" + port + "/events",
            "spring.flyway.user=postgres",
            "spring.flyway.password=postgres",
            "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
            "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + oauth.issuerUrl(ISSUER_ID),
            "calsync.query.stream.heartbeat=1s",
            "calsync.query.read-model.retry.initial-interval=100ms",
            "calsync.query.read-model.retry.max-interval=500ms")
        .applyTo(context);
  }
}
