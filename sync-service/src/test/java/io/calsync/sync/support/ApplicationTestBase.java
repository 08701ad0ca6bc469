package io.calsync.sync.support;

import io.calsync.contract.testing.MutableClock;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.Topics;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The whole service on real infrastructure ({@link TestInfra}); one Spring context shared by every
 * application test class. Each test works with its own connection ids and emulator accounts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient
@Import({TestKafkaConfig.class, ApplicationTestBase.TestClockConfig.class})
public abstract class ApplicationTestBase {

  /** The service's clock: the system's, moved on by tests that need time to pass (reset after each). */
  @org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
  static class TestClockConfig {

    @org.springframework.context.annotation.Bean
    @org.springframework.context.annotation.Primary
    MutableClock testClock() {
      return new MutableClock();
    }
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    properties(registry);
  }

  /** The service's configuration against {@link TestInfra}. */
  public static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.r2dbc.url", TestInfra::r2dbcUrl);
    registry.add("spring.r2dbc.username", () -> "postgres");
    registry.add("spring.r2dbc.password", () -> "postgres");
    registry.add("spring.flyway.url", TestInfra::jdbcUrl);
    registry.add("spring.flyway.user", () -> "postgres");
    registry.add("spring.flyway.password", () -> "postgres");
    registry.add("spring.kafka.bootstrap-servers", TestInfra.KAFKA::getBrokersAsString);
    registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestInfra::issuer);
    registry.add("calsync.token.token-uri", () -> TestInfra.issuer() + "/token");
    registry.add("calsync.token.oauth-service-url", TestInfra.OAUTH::baseUrl);
    registry.add("calsync.google.root-url", TestInfra.GOOGLE::rootUrl);
    registry.add("calsync.google.min-backoff", () -> "20ms");
    registry.add("calsync.google.max-backoff", () -> "200ms");
    registry.add("calsync.sync.events-page-size", () -> "50");
    registry.add("calsync.sync.backstop-tick", () -> "PT1H");
    registry.add("calsync.kafka.listener-retry-interval", () -> "50ms");
    registry.add("server.port", () -> TestInfra.SERVICE_PORT);
    // the service's port is fixed for Google's push notifications; actuator's need not be
    registry.add("management.server.port", () -> "0");
    registry.add("calsync.sync.public-webhook-base-url", () -> "http://localhost:" + TestInfra.SERVICE_PORT);
    registry.add("calsync.sync.push-debounce", () -> "300ms");
  }

  @Autowired protected WebTestClient web;
  @Autowired protected KafkaTemplate<String, String> kafka;
  @Autowired protected DatabaseClient db;
  @Autowired protected MutableClock clock;

  @org.junit.jupiter.api.AfterEach
  void resetClock() {
    clock.reset();
  }

  @org.junit.jupiter.api.BeforeEach
  void clientReadsLargeAnswers() {
    // Boot's codec settings cap the service's request bodies, and the test client's reads with them;
    // the test client reads answers larger than that (Prometheus' page).
    web = web.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024)).build();
  }

  protected static final Google google = TestInfra.GOOGLE;
  protected static final OAuthServiceStandIn oauth = TestInfra.OAUTH;

  protected static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  protected static String bearer(String user) {
    return "Bearer " + TestInfra.userToken(user);
  }

  /** What oauth-service does after a callback: the connection is announced on Kafka. */
  protected UUID connect(String user, String email) throws Exception {
    UUID connectionId = UUID.randomUUID();
    google.account(email);
    oauth.register(connectionId, email);
    send(new ConnectionConnected(connectionId, user, now(), "google", email,
        List.of("openid", "email", "https://www.googleapis.com/auth/calendar.readonly")));
    return connectionId;
  }

  protected void send(ConnectionMessage message) throws Exception {
    sendRaw(message.connectionId().toString(), CalendarJson.mapper().writeValueAsString(message));
  }

  protected void sendRaw(String key, String value) throws Exception {
    kafka.send(new ProducerRecord<>(Topics.CONNECTIONS, key, value)).get();
  }

  protected static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  protected String syncToken(UUID calendarId) {
    return db.sql("select sync_token from calendar_sync_state where calendar_id = :id")
        .bind("id", calendarId)
        .map(r -> java.util.Optional.ofNullable(r.get("sync_token", String.class)))
        .one()
        .block()
        .orElse(null);
  }

  protected String connectionState(UUID connectionId) {
    return db.sql("select state from connection_sync_state where connection_id = :id")
        .bind("id", connectionId)
        .map(r -> r.get("state", String.class))
        .one()
        .block();
  }

  /** Creates a one-hour event two days ahead at Google, as the user would; returns its id. */
  protected static String insertEvent(com.google.api.services.calendar.Calendar api, String calendarId, String title)
      throws Exception {
    java.time.Instant start = java.time.Instant.now().plus(2, java.time.temporal.ChronoUnit.DAYS)
        .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    var e = new com.google.api.services.calendar.model.Event()
        .setSummary(title)
        .setStart(new com.google.api.services.calendar.model.EventDateTime()
            .setDateTime(new com.google.api.client.util.DateTime(start.toEpochMilli())).setTimeZone("UTC"))
        .setEnd(new com.google.api.services.calendar.model.EventDateTime()
            .setDateTime(new com.google.api.client.util.DateTime(start.plusSeconds(3600).toEpochMilli()))
            .setTimeZone("UTC"));
    return api.events().insert(calendarId, e).execute().getId();
  }

  protected UUID primaryCalendar(UUID connectionId) {
    return db.sql("select id from calendars where connection_id = :c and is_primary")
        .bind("c", connectionId)
        .map(r -> r.get("id", UUID.class))
        .one()
        .block();
  }

  /** Waits until the connection has no run in progress or owed. */
  protected void awaitIdle(UUID connectionId) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () ->
                db.sql("select state, pending from connection_sync_state where connection_id = :id")
                    .bind("id", connectionId)
                    .map(r -> !Boolean.TRUE.equals(r.get("pending", Boolean.class))
                        && List.of("idle", "error", "reauth_required").contains(r.get("state", String.class)))
                    .one()
                    .defaultIfEmpty(false)
                    .block());
  }
}
