package io.calsync.sync.support;

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
 * The real infrastructure of sync-service's application tests, started once per test JVM: embedded
 * PostgreSQL (database {@code sync}, reached by the service through {@link DatabaseProxy}, so a
 * test can take it away), an in-process Kafka (KRaft) broker, the OIDC issuer (MockOAuth2Server,
 * issuer id {@code dev}), the Google emulator, the oauth-service stand-in and the service's public
 * front for Google's push notifications, each on a free port. As a context initializer it points
 * the service's configuration at them.
 */
public final class TestInfra
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  public static final EmbeddedPostgres POSTGRES;

  /** Between the service's R2DBC pool and {@link #POSTGRES}: a test can cut the database off. */
  public static final DatabaseProxy DATABASE;

  public static final EmbeddedKafkaKraftBroker KAFKA;
  public static final MockOAuth2Server OIDC;
  public static final Google GOOGLE;
  public static final OAuthServiceStandIn OAUTH;
  public static final PublicFront PUBLIC_FRONT;

  static {
    try {
      POSTGRES = EmbeddedPostgres.builder().start();
      try (Connection c = POSTGRES.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create database sync");
      }
      DATABASE = new DatabaseProxy(POSTGRES.getPort());
      KAFKA = new EmbeddedKafkaKraftBroker(1, 3);
      KAFKA.afterPropertiesSet();
      OIDC = new MockOAuth2Server();
      OIDC.start();
      GOOGLE = Google.start();
      OAUTH = new OAuthServiceStandIn(GOOGLE::baseUrl, OIDC.issuerUrl("dev").toString());
      PUBLIC_FRONT = new PublicFront();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    closeQuietly(PUBLIC_FRONT);
                    closeQuietly(OAUTH);
                    closeQuietly(GOOGLE);
                    closeQuietly(() -> OIDC.shutdown());
                    closeQuietly(KAFKA::destroy);
                    closeQuietly(DATABASE);
                    closeQuietly(POSTGRES);
                  }));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The service's configuration against this infrastructure. */
  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of(
            "spring.r2dbc.url=" + r2dbcUrl(),
            "spring.r2dbc.username=postgres",
            "spring.r2dbc.password=postgres",
            "spring.flyway.url=" + jdbcUrl(),
            "spring.flyway.user=postgres",
            "spring.flyway.password=postgres",
            "spring.kafka.bootstrap-servers=" + KAFKA.getBrokersAsString(),
            "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer(),
            "calsync.token.token-uri=" + issuer() + "/token",
            "calsync.token.oauth-service-url=" + OAUTH.baseUrl(),
            "calsync.google.root-url=" + GOOGLE.rootUrl(),
            "calsync.google.min-backoff=20ms",
            "calsync.google.max-backoff=200ms",
            "calsync.sync.events-page-size=50",
            "calsync.sync.backstop-tick=PT1H",
            "calsync.kafka.listener-backoff-initial=100ms",
            "calsync.kafka.listener-backoff-max=500ms",
            // short, so that a slow Google call outlasts it and the lease heartbeat must keep it
            "calsync.sync.lease-ttl=PT6S",
            "management.server.port=0",
            // Google pushes to the public front, which passes it on to the service's random port
            "calsync.sync.public-webhook-base-url=" + PUBLIC_FRONT.baseUrl(),
            "calsync.sync.push-debounce=300ms")
        .applyTo(context);
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + POSTGRES.getPort() + "/sync";
  }

  /** The service's database, through {@link #DATABASE}. */
  public static String r2dbcUrl() {
    return "r2dbc:postgresql://127.0.0.1:" + DATABASE.port() + "/sync";
  }

  public static String issuer() {
    return OIDC.issuerUrl("dev").toString();
  }

  /** A user's access token: issuer dev, {@code sub} = user, audience {@code calendar}. */
  public static String userToken(String user) {
    return OIDC.issueToken("dev", user, "calendar").serialize();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // shutting down
    }
  }
}
