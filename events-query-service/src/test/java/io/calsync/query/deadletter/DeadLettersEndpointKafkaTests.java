package io.calsync.query.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.Topics;
import io.calsync.query.support.DeadLetters;
import io.calsync.query.support.Messages;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The operators' {@code /actuator/deadletters} against the service's own listener and the test
 * broker: a record that is not JSON lands in the dead-letter topic, is listed without its payload,
 * re-driven once into its source topic (where it fails again, comes back marked and is never
 * re-driven again); bad topics are a 400 naming {@code topic}; only operators get in.
 */
@QueryServiceTest
class DeadLettersEndpointKafkaTests {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String DLT = Topics.deadLetter(Topics.EVENT_CHANGES);
  private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST =
      new ParameterizedTypeReference<>() {};
  private static final ParameterizedTypeReference<Map<String, Object>> OBJECT =
      new ParameterizedTypeReference<>() {};

  @Autowired KafkaTemplate<String, String> template;
  @LocalManagementPort int managementPort;
  @LocalServerPort int port;
  private WebTestClient management;

  @BeforeEach
  void client() {
    management = TestHttp.client(managementPort);
  }

  @Test
  void whenARecordIsPoisonThenItIsListedWithoutPayloadAndReDrivenOnce() {
    UUID key = UUID.randomUUID();
    String payload = "not json: " + UUID.randomUUID();
    new Messages(template).publishRaw(Topics.EVENT_CHANGES, key, payload);

    Map<String, Object> listed =
        await().atMost(WAIT).until(() -> entry(key, false), e -> e != null);
    assertThat(listed.get("exception_class")).asString().isNotBlank();
    assertThat(listed)
        .containsKeys("partition", "offset", "timestamp")
        .containsEntry("key", key.toString());
    String body = get(operator()).expectBody(String.class).returnResult().getResponseBody();
    assertThat(body).doesNotContain(payload).doesNotContain("not json");
    Map<String, Object> dlt = topic(DLT);
    assertThat(((Number) dlt.get("waiting")).longValue()).isPositive();
    assertThat(dlt.get("oldest")).isNotNull();
    assertThat(dlt.get("newest")).isNotNull();

    Map<String, Object> first = redrive(DLT);
    assertThat(((Number) first.get("redriven")).intValue()).isPositive();
    assertThat(first).containsEntry("source_topic", Topics.EVENT_CHANGES);
    assertThat(entry(key, false)).isNull();

    // consumed again from the source topic, failed again, back in the dead-letter topic, marked
    await().atMost(WAIT).until(() -> entry(key, true), e -> e != null);
    assertThat(sourceRecords(key))
        .hasSize(2)
        .last()
        .satisfies(
            r -> {
              assertThat(r.value()).isEqualTo(payload);
              assertThat(r.headers().lastHeader("calsync_redriven_from")).isNotNull();
              assertThat(r.headers()).noneMatch(h -> h.key().startsWith("kafka_dlt-"));
            });
    try (var dead = new DeadLetters(Topics.EVENT_CHANGES, key.toString())) {
      await().atMost(WAIT).until(() -> dead.values().size() >= 2);
      assertThat(dead.values()).containsExactly(payload, payload);
    }

    Map<String, Object> second = redrive(DLT);
    assertThat(second).containsEntry("redriven", 0);
    assertThat(((Number) second.get("skipped")).intValue()).isPositive();
    assertThat(entry(key, true)).isNull();
  }

  @Test
  void whenTheTopicIsNotADeadLetterTopicOfOursThenA400NamesIt() {
    for (String body :
        List.of(
            "{\"topic\":\"" + Topics.EVENT_CHANGES + "\"}",
            "{\"topic\":\"calendar.other.v1.DLT\"}",
            "{}")) {
      management
          .post()
          .uri("/actuator/deadletters")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator())
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("invalid_parameter")
          .jsonPath("$.parameter")
          .isEqualTo("topic");
    }
  }

  @Test
  void shouldAnswerOnlyOperators() {
    get(null).expectStatus().isUnauthorized();
    management
        .post()
        .uri("/actuator/deadletters")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"topic\":\"" + DLT + "\"}")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    for (String token :
        List.of(
            TestInfrastructure.tokenFor("user-" + UUID.randomUUID()),
            token("sync-service", "calendar.tokens"),
            token("operator", "calendar"))) {
      get(token)
          .expectStatus()
          .isForbidden()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.code")
          .isEqualTo("forbidden");
      management
          .post()
          .uri("/actuator/deadletters")
          .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
          .contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{\"topic\":\"" + DLT + "\"}")
          .exchange()
          .expectStatus()
          .isForbidden();
    }
    TestHttp.client(port)
        .get()
        .uri("/actuator/deadletters")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator())
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  /** The records of {@code key} on the source topic, from the beginning. */
  private static List<ConsumerRecord<String, String>> sourceRecords(UUID key) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka().getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.EVENT_CHANGES));
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        r -> {
                          if (key.toString().equals(r.key())) {
                            records.add(r);
                          }
                        });
                return records.size() >= 2;
              });
    }
    return records;
  }

  private static String operator() {
    return token("operator", "calendar.admin");
  }

  /** A client-credentials token of {@code client} for audience {@code calendar}. */
  private static String token(String client, String scope) {
    return TestInfrastructure.oauth()
        .issueToken(
            TestInfrastructure.ISSUER_ID,
            client,
            "calendar",
            Map.of("scope", scope, "client_id", client),
            3600)
        .serialize();
  }

  private WebTestClient.ResponseSpec get(String token) {
    WebTestClient.RequestHeadersSpec<?> request = management.get().uri("/actuator/deadletters");
    if (token != null) {
      request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }
    return request.exchange();
  }

  private Map<String, Object> topic(String name) {
    List<Map<String, Object>> topics =
        get(operator()).expectStatus().isOk().expectBody(LIST).returnResult().getResponseBody();
    assertThat(topics)
        .extracting(t -> t.get("topic"))
        .containsExactly(DLT, Topics.deadLetter(Topics.CONNECTIONS));
    return topics.stream().filter(t -> name.equals(t.get("topic"))).findFirst().orElseThrow();
  }

  /**
   * The waiting entry of {@code key} in the event changes' DLT marked {@code redriven}, or null.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> entry(UUID key, boolean redriven) {
    return ((List<Map<String, Object>>) topic(DLT).get("records"))
        .stream()
            .filter(r -> key.toString().equals(r.get("key")) && r.get("redriven").equals(redriven))
            .findFirst()
            .orElse(null);
  }

  private Map<String, Object> redrive(String topic) {
    return management
        .post()
        .uri("/actuator/deadletters")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + operator())
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"topic\":\"" + topic + "\"}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(OBJECT)
        .returnResult()
        .getResponseBody();
  }
}
