package io.calsync.sync.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real infrastructure of sync-service's application tests, started once per test JVM: embedded
 * PostgreSQL (database {@code sync}), an in-process Kafka (KRaft) broker, the OIDC issuer
 * (MockOAuth2Server, issuer id {@code dev}), the Google emulator, and the oauth-service stand-in.
 */
public final class TestInfra {

  public static final EmbeddedPostgres POSTGRES;
  public static final EmbeddedKafkaKraftBroker KAFKA;
  public static final MockOAuth2Server OIDC;
  public static final Google GOOGLE;
  public static final OAuthServiceStandIn OAUTH;
  /** The port sync-service listens on in the tests, fixed up front so Google can push to it. */
  public static final int SERVICE_PORT;

  static {
    try {
      POSTGRES = EmbeddedPostgres.builder().start();
      try (Connection c = POSTGRES.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create database sync");
      }
      KAFKA = new EmbeddedKafkaKraftBroker(1, 3);
      KAFKA.afterPropertiesSet();
      try (var socket = new java.net.ServerSocket(0)) {
        SERVICE_PORT = socket.getLocalPort();
      }
      OIDC = new MockOAuth2Server();
      OIDC.start();
      GOOGLE = Google.start();
      OAUTH = new OAuthServiceStandIn(GOOGLE::baseUrl, OIDC.issuerUrl("dev").toString());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    closeQuietly(OAUTH);
                    closeQuietly(GOOGLE);
                    closeQuietly(() -> OIDC.shutdown());
                    closeQuietly(KAFKA::destroy);
                    closeQuietly(POSTGRES);
                  }));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private TestInfra() {}

  public static String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + POSTGRES.getPort() + "/sync";
  }

  public static String r2dbcUrl() {
    return "r2dbc:postgresql://localhost:" + POSTGRES.getPort() + "/sync";
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
