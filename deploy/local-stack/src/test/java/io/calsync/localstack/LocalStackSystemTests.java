package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.HTTP;
import static io.calsync.localstack.SystemClient.JSON;
import static io.calsync.localstack.SystemClient.authorizationUrl;
import static io.calsync.localstack.SystemClient.consent;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The README's walk-through against the whole local stack, acting only as a user would (through the
 * gateway and the Google emulator's consent) and as a downstream Kafka consumer would.
 */
@Order(1)
@ExtendWith(SystemStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackSystemTests {

  private static final Logger log = LoggerFactory.getLogger(LocalStackSystemTests.class);

  private static String userToken;
  private static String connectionId;

  @Test
  @Order(1)
  void userConnectsGoogleThroughTheGatewayAndSeesUpcomingEvents() throws Exception {
    userToken = userToken("alice");

    // One browser (one cookie jar) does it all, as the web client does: authorize, consent,
    // callback.
    String authorizationUrl = authorizationUrl(HTTP, userToken);
    String callback = consent(HTTP, authorizationUrl, LocalStack.DEMO_ACCOUNT);

    HttpResponse<String> back = get(HTTP, callback, null);
    long callbackAt = System.nanoTime();
    assertThat(back.statusCode()).isEqualTo(302);
    String landing = back.headers().firstValue("Location").orElseThrow();
    assertThat(landing)
        .startsWith(settings().gatewayUrl() + "/settings?calendar=connected&connection_id=");
    connectionId = landing.substring(landing.indexOf("connection_id=") + "connection_id=".length());
    UUID.fromString(connectionId);

    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            LocalStackSystemTests::upcoming,
            body -> body.has("events") && hasTitle(body.get("events"), "Team sync"));
    log.info(
        "Upcoming events visible {} ms after the callback",
        (System.nanoTime() - callbackAt) / 1_000_000);

    // The first sync's pages reach the read model one after another: the series may be there a
    // moment
    // before its moved and cancelled instances are.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertTheDemoCalendar(upcoming()));
  }

  private static JsonNode upcoming() throws Exception {
    return JSON.readTree(
        get(
                settings().gatewayUrl()
                    + "/api/calendar/events/upcoming/?limit=100&days=14&tz=Europe/Berlin",
                userToken)
            .body());
  }

  private static void assertTheDemoCalendar(JsonNode upcoming) {
    List<JsonNode> events = new ArrayList<>();
    upcoming.get("events").forEach(events::add);
    assertThat(events)
        .allSatisfy(e -> assertThat(e.get("connection_id").asString()).isEqualTo(connectionId));
    assertThat(events).extracting(e -> e.get("status").asString()).doesNotContain("cancelled");
    List<JsonNode> teamSync =
        events.stream().filter(e -> "Team sync".equals(e.get("title").asString())).toList();
    // The next Monday's instance was moved to Tuesday 15:00 and the one after it was cancelled.
    LocalDate monday =
        LocalDate.now(DemoCalendar.ZONE).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    assertThat(teamSync)
        .anySatisfy(
            e ->
                assertThat(e.get("start").asString())
                    .startsWith(monday.plusDays(1) + "T15:00:00+0"))
        .noneSatisfy(e -> assertThat(e.get("start").asString()).startsWith(monday.toString()))
        .noneSatisfy(
            e -> assertThat(e.get("start").asString()).startsWith(monday.plusWeeks(1).toString()));
    assertThat(teamSync)
        .allSatisfy(e -> assertThat(e.get("recurring_event_id").isNull()).isFalse());
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("title").asString()).isEqualTo("Company offsite");
              assertThat(e.get("all_day").asBoolean()).isTrue();
              assertThat(e.get("start").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
            });
  }

  @Test
  @Order(2)
  void theConnectionIsListedAndOtherUsersSeeNothing() throws Exception {
    JsonNode connections =
        JSON.readTree(
            get(settings().gatewayUrl() + "/api/calendar/connections/", userToken).body());
    assertThat(connections.get("connections")).hasSize(1);
    assertThat(connections.get("connections").get(0).get("status").asString()).isEqualTo("active");
    assertThat(connections.get("connections").get(0).get("account_email").asString())
        .isEqualTo(LocalStack.DEMO_ACCOUNT);

    JsonNode bobs =
        JSON.readTree(
            get(
                    settings().gatewayUrl() + "/api/calendar/events/upcoming/?days=14",
                    userToken("bob"))
                .body());
    assertThat(bobs.get("events")).isEmpty();
  }

  @Test
  @Order(3)
  void downstreamConsumersReadTheChangesWithCloudEventsHeaders() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SystemStack.stack().kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(Topics.CONNECTIONS, Topics.EVENT_CHANGES));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return types(records)
                    .containsAll(
                        List.of(
                            "connection.connected",
                            "calendar.upserted",
                            "calendar.snapshot_started",
                            "event.upserted",
                            "calendar.snapshot_completed"));
              });
    }
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(connectionId);
              assertThat(header(r, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
              assertThat(header(r, CloudEventHeaders.ID)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.SOURCE)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.TIME)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.TYPE))
                  .isEqualTo(JSON.readTree(r.value()).get("type").asString());
              assertThat(r.value()).doesNotContain("ya29.").doesNotContain("1//");
            });
  }

  private static List<String> types(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> header(r, CloudEventHeaders.TYPE)).toList();
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static boolean hasTitle(JsonNode events, String title) {
    for (JsonNode event : events) {
      if (title.equals(event.get("title").asString())) {
        return true;
      }
    }
    return false;
  }
}
