package io.calsync.sync.support;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.Topics;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What application tests do with the running service: connect an account as oauth-service would,
 * send connection messages, read sync state, wait for a connection to settle. A bean of every
 * {@link SyncServiceTest} context; the static members need no context.
 */
public final class SyncFixtures {

  public static final Google google = TestInfra.GOOGLE;
  public static final OAuthServiceStandIn oauth = TestInfra.OAUTH;

  private final KafkaTemplate<String, String> kafka;
  private final DatabaseClient db;

  SyncFixtures(KafkaTemplate<String, String> kafka, DatabaseClient db) {
    this.kafka = kafka;
    this.db = db;
  }

  public static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  public static String bearer(String user) {
    return "Bearer " + TestInfra.userToken(user);
  }

  public static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** What oauth-service does after a callback: the connection is announced on Kafka. */
  public UUID connect(String user, String email) throws Exception {
    return connect(user, email, UUID.randomUUID());
  }

  /** As {@link #connect(String, String)}, with an id chosen beforehand. */
  public UUID connect(String user, String email, UUID connectionId) throws Exception {
    google.account(email);
    oauth.register(connectionId, user, email);
    send(
        new ConnectionConnected(
            connectionId,
            user,
            now(),
            "google",
            email,
            List.of("openid", "email", "https://www.googleapis.com/auth/calendar.readonly")));
    return connectionId;
  }

  /**
   * A connection oauth-service has made (its callback redirected the user) whose {@code
   * connection.connected} this service has not consumed yet.
   */
  public UUID connectUnannounced(String user, String email) {
    UUID connectionId = UUID.randomUUID();
    google.account(email);
    oauth.register(connectionId, user, email);
    return connectionId;
  }

  public void send(ConnectionMessage message) throws Exception {
    sendRaw(message.connectionId().toString(), CalendarJson.mapper().writeValueAsString(message));
  }

  public void sendRaw(String key, String value) throws Exception {
    kafka.send(new ProducerRecord<>(Topics.CONNECTIONS, key, value)).get();
  }

  public String syncToken(UUID calendarId) {
    return db.sql("select sync_token from calendar_sync_state where calendar_id = :id")
        .bind("id", calendarId)
        .map(r -> java.util.Optional.ofNullable(r.get("sync_token", String.class)))
        .one()
        .block()
        .orElse(null);
  }

  public String connectionState(UUID connectionId) {
    return db.sql("select state from connection_sync_state where connection_id = :id")
        .bind("id", connectionId)
        .map(r -> r.get("state", String.class))
        .one()
        .block();
  }

  /** Creates a one-hour event two days ahead at Google, as the user would; returns its id. */
  public static String insertEvent(
      com.google.api.services.calendar.Calendar api, String calendarId, String title)
      throws Exception {
    java.time.Instant start =
        java.time.Instant.now()
            .plus(2, java.time.temporal.ChronoUnit.DAYS)
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    var e =
        new com.google.api.services.calendar.model.Event()
            .setSummary(title)
            .setStart(
                new com.google.api.services.calendar.model.EventDateTime()
                    .setDateTime(new com.google.api.client.util.DateTime(start.toEpochMilli()))
                    .setTimeZone("UTC"))
            .setEnd(
                new com.google.api.services.calendar.model.EventDateTime()
                    .setDateTime(
                        new com.google.api.client.util.DateTime(
                            start.plusSeconds(3600).toEpochMilli()))
                    .setTimeZone("UTC"));
    return api.events().insert(calendarId, e).execute().getId();
  }

  public UUID primaryCalendar(UUID connectionId) {
    return db.sql("select id from calendars where connection_id = :c and is_primary")
        .bind("c", connectionId)
        .map(r -> r.get("id", UUID.class))
        .one()
        .block();
  }

  /** Waits until the connection has no run in progress or owed. */
  public void awaitIdle(UUID connectionId) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () ->
                db.sql("select state, pending from connection_sync_state where connection_id = :id")
                    .bind("id", connectionId)
                    .map(
                        r ->
                            !Boolean.TRUE.equals(r.get("pending", Boolean.class))
                                && List.of("idle", "error", "reauth_required")
                                    .contains(r.get("state", String.class)))
                    .one()
                    .defaultIfEmpty(false)
                    .block());
  }
}
