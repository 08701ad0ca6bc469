package io.calsync.sync.web;

import static io.calsync.sync.support.EventChanges.count;
import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.insertEvent;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.ConnectionConnected;
import io.calsync.contract.kafka.ConnectionReauthRequired;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.SnapshotStarted;
import io.calsync.contract.kafka.Topics;
import io.calsync.sync.model.SyncTrigger;
import io.calsync.sync.support.EventChanges;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.calsync.sync.support.TestInfra;
import io.calsync.sync.support.TestKafkaConfig;
import io.calsync.sync.trigger.SyncCoordinator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The operator endpoints of the management port, {@code resync} and {@code deadletters}, over real
 * HTTP with real JWTs, against the real Kafka broker and PostgreSQL of {@link TestInfra}.
 */
@SyncServiceTest
class OperatorEndpointsApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired DatabaseClient db;
  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired SyncCoordinator coordinator;
  @LocalManagementPort int managementPort;

  @AfterEach
  void resetKafka() {
    TestKafkaConfig.holdAckWhen = r -> false;
    TestKafkaConfig.onSend = r -> {};
    TestKafkaConfig.releaseHeld();
  }

  private WebTestClient management() {
    return WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + managementPort)
        .responseTimeout(Duration.ofSeconds(60))
        .build();
  }

  private static String operatorToken() {
    return TestInfra.OIDC
        .issueToken("dev", "operator", "calendar", Map.of("scope", "calendar.admin"))
        .serialize();
  }

  private WebTestClient.ResponseSpec resync(String json) {
    return management()
        .post()
        .uri("/actuator/resync")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + operatorToken())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchange();
  }

  private WebTestClient.ResponseSpec deadLetters(boolean redrive) {
    var spec =
        redrive
            ? management().post().uri("/actuator/deadletters")
            : management().get().uri("/actuator/deadletters");
    return spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + operatorToken()).exchange();
  }

  /** A connected account with its primary calendar and a subscribed one, fully synced once. */
  private UUID connected(String subscribed) throws Exception {
    String email = uniqueEmail("operator");
    google.account(email);
    google.seed(email, "primary", 3, 10);
    google.account(subscribed);
    insertEvent(google.calendarAs(subscribed), subscribed, "team event");
    google.subscribe(email, subscribed, "reader", false);
    UUID conn = app.connect("user-" + email, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 2);
    }
    app.awaitIdle(conn);
    return conn;
  }

  private UUID calendarOf(UUID conn, String providerCalendarId) {
    return db.sql("select id from calendars where connection_id = :c and provider_calendar_id = :p")
        .bind("c", conn)
        .bind("p", providerCalendarId)
        .map(r -> r.get("id", UUID.class))
        .one()
        .block();
  }

  private static List<Long> generations(List<EventChanges.Received> l, UUID calendarId) {
    return l.stream()
        .filter(r -> r.message() instanceof SnapshotStarted)
        .map(r -> (SnapshotStarted) r.message())
        .filter(s -> s.calendarId().equals(calendarId))
        .map(SnapshotStarted::generation)
        .toList();
  }

  private static String team() {
    return "team-" + UUID.randomUUID().toString().substring(0, 8) + "@group.example.com";
  }

  @Test
  void whenAConnectionIsResyncedThenEachOfItsCalendarsPublishesANewSnapshot() throws Exception {
    String subscribed = team();
    UUID conn = connected(subscribed);
    UUID primary = app.primaryCalendar(conn);
    UUID other = calendarOf(conn, subscribed);

    resync("{\"connectionId\":\"" + conn + "\"}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.connection_id")
        .isEqualTo(conn.toString())
        .jsonPath("$.calendars")
        .isEqualTo(2);

    try (var changes = new EventChanges(conn)) {
      var all =
          changes.awaitUntil(
              l -> count(l, SnapshotCompleted.TYPE) == 4 && count(l, SnapshotStarted.TYPE) == 4);
      assertThat(generations(all, primary)).hasSize(2).doesNotHaveDuplicates();
      assertThat(generations(all, other)).hasSize(2).doesNotHaveDuplicates();
    }
  }

  @Test
  void whenOneCalendarIsResyncedThenOnlyItPublishesANewSnapshot() throws Exception {
    String subscribed = team();
    UUID conn = connected(subscribed);
    UUID primary = app.primaryCalendar(conn);
    UUID other = calendarOf(conn, subscribed);

    resync("{\"calendarId\":\"" + other + "\"}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.calendar_id")
        .isEqualTo(other.toString())
        .jsonPath("$.connection_id")
        .isEqualTo(conn.toString());

    try (var changes = new EventChanges(conn)) {
      var all = changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 3);
      assertThat(generations(all, other)).hasSize(2).doesNotHaveDuplicates();
      app.awaitIdle(conn);
      assertThat(generations(changes.all(), primary)).hasSize(1);
    }
  }

  @Test
  void whenAResyncIsAskedDuringARunThenTheRunStoresNoTokenAndTheNextRunIsFull() throws Exception {
    String subscribed = team();
    UUID conn = connected(subscribed);
    UUID primary = app.primaryCalendar(conn);
    String email =
        db.sql("select account_email from connections where id = :c")
            .bind("c", conn)
            .map(r -> r.get("account_email", String.class))
            .one()
            .block();
    insertEvent(google.calendarAs(email), email, "added before the run");
    AtomicBoolean sent = new AtomicBoolean();
    TestKafkaConfig.holdAckWhen = r -> conn.toString().equals(r.key());
    TestKafkaConfig.onSend =
        r -> {
          if (conn.toString().equals(r.key())) {
            sent.set(true);
          }
        };
    coordinator.request(conn, SyncTrigger.MANUAL).block();
    // the incremental run published its change and waits for Kafka's acknowledgement
    await().atMost(Duration.ofSeconds(60)).untilTrue(sent);

    resync("{\"calendarId\":\"" + primary + "\"}").expectStatus().isAccepted();
    TestKafkaConfig.holdAckWhen = r -> false;
    TestKafkaConfig.releaseHeld();

    try (var changes = new EventChanges(conn)) {
      var all = changes.awaitUntil(l -> generations(l, primary).size() == 2);
      assertThat(generations(all, primary)).doesNotHaveDuplicates();
    }
  }

  @Test
  void aConnectionWaitingForReconsentIsAcceptedButNotRun() throws Exception {
    String email = uniqueEmail("reauth");
    String user = "user-" + email;
    google.account(email);
    google.seed(email, "primary", 2, 10);
    UUID conn = app.connect(user, email);
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    app.awaitIdle(conn);
    app.send(new ConnectionReauthRequired(conn, user, SyncFixtures.now(), "invalid_grant"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "reauth_required".equals(app.connectionState(conn)));

    resync("{\"connectionId\":\"" + conn + "\"}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("reauth_required");
    assertThat(app.syncToken(app.primaryCalendar(conn))).isNull();
    resync("{\"calendarId\":\"" + app.primaryCalendar(conn) + "\"}")
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.state")
        .isEqualTo("reauth_required");
  }

  @Test
  void anUnknownIdIs404AndAMalformedOneOrNoneOrBothAre400NamingTheParameter() {
    resync("{\"connectionId\":\"" + UUID.randomUUID() + "\"}")
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");
    resync("{\"calendarId\":\"" + UUID.randomUUID() + "\"}").expectStatus().isNotFound();
    resync("{\"calendarId\":\"not-a-uuid\"}")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("invalid_parameter")
        .jsonPath("$.parameter")
        .isEqualTo("calendarId");
    resync("{\"connectionId\":\"42\"}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("connectionId");
    resync("{}")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("connectionId");
    resync(
            "{\"connectionId\":\""
                + UUID.randomUUID()
                + "\",\"calendarId\":\""
                + UUID.randomUUID()
                + "\"}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.parameter")
        .isEqualTo("calendarId");
  }

  @Test
  void whenTheDatabaseIsAwayAResyncIs503() throws Exception {
    TestInfra.DATABASE.cut();
    try {
      resync("{\"connectionId\":\"" + UUID.randomUUID() + "\"}")
          .expectStatus()
          .isEqualTo(503)
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("upstream_unavailable");
    } finally {
      TestInfra.DATABASE.restore();
    }
  }

  @Test
  void onlyAnOperatorTokenReachesTheOperatorEndpoints() {
    String user = "user-" + UUID.randomUUID();
    String serviceLike =
        TestInfra.OIDC
            .issueToken("dev", "sync-service", "calendar", Map.of("scope", "calendar.tokens"))
            .serialize();
    for (String path : List.of("/actuator/resync", "/actuator/deadletters")) {
      management()
          .post()
          .uri(path)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{}")
          .exchange()
          .expectStatus()
          .isUnauthorized()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
      for (String token : List.of(TestInfra.userToken(user), serviceLike)) {
        management()
            .post()
            .uri(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{}")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.code")
            .isEqualTo("forbidden");
      }
    }
    management()
        .get()
        .uri("/actuator/deadletters")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestInfra.userToken(user))
        .exchange()
        .expectStatus()
        .isForbidden();
    deadLetters(false).expectStatus().isOk();
  }

  record Listed(int partition, long offset, String key, String exceptionClass, boolean redriven) {}

  record Redrive(long count, long skipped, List<Listed> records) {}

  record Answer(long count, String oldest, String newest, List<Listed> records) {}

  private Answer answer(WebTestClient.ResponseSpec spec) {
    String body =
        spec.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    return CalendarJson.mapper().readValue(body, Answer.class);
  }

  private static List<Listed> withKey(Answer a, String key) {
    return a.records().stream().filter(r -> key.equals(r.key())).toList();
  }

  @Test
  void aPoisonRecordIsListedWithItsExceptionClassButNeverItsValue() throws Exception {
    String key = UUID.randomUUID().toString();
    String secret = "poison-" + UUID.randomUUID();
    app.sendRaw(key, "not json: " + secret);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !withKey(answer(deadLetters(false)), key).isEmpty());
    String body =
        deadLetters(false)
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(body).doesNotContain(secret);
    Answer waiting = CalendarJson.mapper().readValue(body, Answer.class);
    assertThat(waiting.count()).isGreaterThanOrEqualTo(1);
    assertThat(waiting.oldest()).isNotNull();
    assertThat(waiting.newest()).isNotNull();
    assertThat(withKey(waiting, key))
        .singleElement()
        .satisfies(r -> assertThat(r.exceptionClass()).isNotBlank());
  }

  @Test
  void aDeadLetteredRecordIsRedrivenOnceWithItsKeyValueAndHeadersButNotTheDeadLetterOnes()
      throws Exception {
    String email = uniqueEmail("redrive");
    String user = "user-" + email;
    UUID conn = UUID.randomUUID();
    google.account(email);
    google.seed(email, "primary", 2, 10);
    SyncFixtures.oauth.register(conn, user, email);
    String value =
        CalendarJson.mapper()
            .writeValueAsString(
                new ConnectionConnected(
                    conn,
                    user,
                    SyncFixtures.now(),
                    "google",
                    email,
                    List.of(
                        "openid", "email", "https://www.googleapis.com/auth/calendar.readonly")));
    var headers = new RecordHeaders();
    headers.add("x-origin", "test".getBytes(StandardCharsets.UTF_8));
    headers.add(
        "kafka_dlt-exception-fqcn",
        "java.lang.IllegalStateException".getBytes(StandardCharsets.UTF_8));
    headers.add("kafka_dlt-original-topic", Topics.CONNECTIONS.getBytes(StandardCharsets.UTF_8));
    kafka
        .send(
            new ProducerRecord<>(
                Topics.deadLetter(Topics.CONNECTIONS), null, conn.toString(), value, headers))
        .get();

    Answer first = answer(deadLetters(true));
    assertThat(withKey(first, conn.toString())).hasSize(1);
    assertThat(first.count()).isEqualTo(first.records().size());
    try (var changes = new EventChanges(conn)) {
      changes.awaitUntil(l -> count(l, SnapshotCompleted.TYPE) == 1);
    }
    assertThat(withKey(answer(deadLetters(true)), conn.toString())).isEmpty();

    ConsumerRecord<String, String> redriven = lastOnConnections(conn.toString());
    assertThat(redriven.value()).isEqualTo(value);
    assertThat(
            new String(redriven.headers().lastHeader("x-origin").value(), StandardCharsets.UTF_8))
        .isEqualTo("test");
    redriven.headers().forEach(h -> assertThat(h.key()).doesNotStartWith("kafka_dlt-"));
    Listed sent = withKey(first, conn.toString()).get(0);
    assertThat(
            new String(
                redriven.headers().lastHeader(Topics.REDRIVEN_FROM_HEADER).value(),
                StandardCharsets.UTF_8))
        .isEqualTo(
            Topics.deadLetter(Topics.CONNECTIONS) + "-" + sent.partition() + "@" + sent.offset());
  }

  @Test
  void aRecordThatFailedAgainAfterARedriveIsListedAsSuchAndSkipped() throws Exception {
    String key = UUID.randomUUID().toString();
    var again = new RecordHeaders();
    again.add(
        Topics.REDRIVEN_FROM_HEADER,
        (Topics.deadLetter(Topics.CONNECTIONS) + "-0@0").getBytes(StandardCharsets.UTF_8));
    String poison = "{\"type\":\"connection.renamed\",\"connection_id\":\"" + key + "\"}";
    String fresh = "{\"type\":\"connection.renamed\",\"connection_id\":\"" + key + "\",\"n\":2}";
    String dlt = Topics.deadLetter(Topics.CONNECTIONS);
    kafka.send(new ProducerRecord<>(dlt, null, key, poison, again)).get();
    kafka.send(new ProducerRecord<>(dlt, key, fresh)).get();

    assertThat(withKey(answer(deadLetters(false)), key))
        .extracting(Listed::redriven)
        .containsExactly(true, false);
    String body =
        deadLetters(true)
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    Redrive redrive = CalendarJson.mapper().readValue(body, Redrive.class);
    assertThat(redrive.skipped()).isGreaterThanOrEqualTo(1);
    assertThat(redrive.records()).filteredOn(r -> key.equals(r.key())).hasSize(1);

    // one key, one partition: the fresh record arrives, and the skipped one was never sent before
    // it
    List<ConsumerRecord<String, String>> onSource = allOnConnections(key);
    assertThat(onSource).extracting(ConsumerRecord::value).containsExactly(fresh);
  }

  @Test
  void aRedriveWhileAnotherIsUnderWayIs409() throws Exception {
    String key = UUID.randomUUID().toString();
    kafka
        .send(
            new ProducerRecord<>(
                Topics.deadLetter(Topics.CONNECTIONS),
                key,
                "{\"type\":\"connection.renamed\",\"connection_id\":\"" + key + "\"}"))
        .get();
    AtomicBoolean sent = new AtomicBoolean();
    TestKafkaConfig.holdAckWhen = r -> Topics.CONNECTIONS.equals(r.topic()) && key.equals(r.key());
    TestKafkaConfig.onSend =
        r -> {
          if (Topics.CONNECTIONS.equals(r.topic()) && key.equals(r.key())) {
            sent.set(true);
          }
        };
    // the first re-drive waits for Kafka to acknowledge the held record
    CompletableFuture<Answer> first =
        CompletableFuture.supplyAsync(() -> answer(deadLetters(true)));
    await().atMost(Duration.ofSeconds(60)).untilTrue(sent);

    deadLetters(true)
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("conflict");

    TestKafkaConfig.holdAckWhen = r -> false;
    TestKafkaConfig.releaseHeld();
    assertThat(withKey(first.get(60, TimeUnit.SECONDS), key)).hasSize(1);
  }

  private static ConsumerRecord<String, String> lastOnConnections(String key) {
    List<ConsumerRecord<String, String>> found = allOnConnections(key);
    return found.get(found.size() - 1);
  }

  /** The records of {@code key} on the source topic, once at least one has arrived. */
  private static List<ConsumerRecord<String, String>> allOnConnections(String key) {
    List<ConsumerRecord<String, String>> found = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.CONNECTIONS));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.equals(r.key())) {
                            found.add(r);
                          }
                        });
                return !found.isEmpty();
              });
    }
    return found;
  }
}
