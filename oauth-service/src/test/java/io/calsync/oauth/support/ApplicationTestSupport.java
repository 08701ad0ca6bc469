package io.calsync.oauth.support;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the {@code *ApplicationTests}: the whole service on a random port against the shared
 * {@link TestInfrastructure} and the in-process Google emulator. Every test class extends it
 * unchanged, so they all share one Spring context. Tests isolate themselves by using fresh user ids
 * and Google accounts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@Import(ApplicationTestSupport.TestClockConfiguration.class)
public abstract class ApplicationTestSupport {

  public static final String WEB_BASE_URL = "http://web.test";
  public static final String REDIRECT_URI = "http://localhost:8080/api/calendar/google/callback/";
  private static final String TOKEN_KEY = randomKey();

  @Autowired protected WebTestClient web;
  @Autowired protected MutableClock clock;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    var postgres = TestInfrastructure.postgres();
    String hostPort = "localhost:" + postgres.getPort() + "/" + TestInfrastructure.DATABASE;
    registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://" + hostPort);
    registry.add("spring.flyway.url", () -> "jdbc:postgresql://" + hostPort);
    registry.add("spring.r2dbc.username", () -> "postgres");
    registry.add("spring.r2dbc.password", () -> "postgres");
    registry.add("spring.flyway.user", () -> "postgres");
    registry.add("spring.flyway.password", () -> "postgres");
    registry.add("spring.kafka.bootstrap-servers", () -> TestInfrastructure.kafka().getBrokersAsString());
    String issuer = TestInfrastructure.issuerUri();
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> issuer);
    registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> issuer + "/jwks");
    String google = GoogleTestSupport.baseUrl();
    registry.add("calsync.google.authorization-uri", () -> google + "/o/oauth2/v2/auth");
    registry.add("calsync.google.token-uri", () -> google + "/token");
    registry.add("calsync.google.revoke-uri", () -> google + "/revoke");
    registry.add("calsync.google.userinfo-uri", () -> google + "/v1/userinfo");
    registry.add("calsync.google.redirect-uri", () -> REDIRECT_URI);
    registry.add("calsync.web.base-url", () -> WEB_BASE_URL);
    registry.add("calsync.token.cipher.key", () -> TOKEN_KEY);
    registry.add(
        "calsync.token.cipher.key-file", () -> Path.of("target", "test-oauth-token.key").toString());
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  protected static String newUser() {
    return "user-" + UUID.randomUUID();
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class TestClockConfiguration {

    @Bean
    @Primary
    MutableClock testClock() {
      return new MutableClock();
    }
  }
}
