package io.calsync.oauth.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The real infrastructure of the service tests, started once per test JVM and shared by every test
 * class: embedded PostgreSQL (database {@code oauth}), an in-process Kafka (KRaft) broker and an
 * in-process OIDC issuer ({@code dev}) that mints real signed JWTs. Stopped when the JVM exits. As
 * the initializer of {@link OAuthServiceTest} it points the service at them, at the Google emulator
 * ({@link GoogleTestSupport}) and at a random local token key.
 */
public final class TestInfrastructure
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  public static final String ISSUER_ID = "dev";
  public static final String DATABASE = "oauth";
  public static final String WEB_BASE_URL = "http://web.test";
  public static final String REDIRECT_URI = "http://localhost:8080/api/calendar/google/callback/";
  private static final String TOKEN_KEY = randomKey();

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafkaKraftBroker kafka;
  private static MockOAuth2Server oidc;

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String hostPort = "localhost:" + postgres().getPort() + "/" + DATABASE;
    String issuer = issuerUri();
    String google = GoogleTestSupport.baseUrl();
    TestPropertyValues.of(
            "spring.r2dbc.url=r2dbc:postgresql://" + hostPort,
            "spring.flyway.url=jdbc:postgresql://" + hostPort,
            "spring.r2dbc.username=postgres",
            "spring.r2dbc.password=postgres",
            "spring.flyway.user=postgres",
            "spring.flyway.password=postgres",
            "spring.kafka.bootstrap-servers=" + kafka().getBrokersAsString(),
            "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
            "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer + "/jwks",
            "calsync.google.authorization-uri=" + google + "/o/oauth2/v2/auth",
            "calsync.google.token-uri=" + google + "/token",
            "calsync.google.revoke-uri=" + google + "/revoke",
            "calsync.google.userinfo-uri=" + google + "/v1/userinfo",
            "calsync.google.redirect-uri=" + REDIRECT_URI,
            "calsync.web.base-url=" + WEB_BASE_URL,
            "calsync.token.cipher.key=" + TOKEN_KEY,
            "calsync.token.cipher.key-file=" + Path.of("target", "test-oauth-token.key"))
        .applyTo(context);
  }

  /**
   * The service's local token key (version 1), to write ciphertexts as an older build would have.
   */
  public static byte[] tokenKey() {
    return Base64.getDecoder().decode(TOKEN_KEY);
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

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
