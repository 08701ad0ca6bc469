package io.calsync.contract.testing;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesKafkaSchema;
import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApiRequest;
import static io.calsync.contract.testing.ContractAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.problem.Problem;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ContractAssertionsTests {

  private static final JsonMapper MAPPER = CalendarJson.mapper();

  /** Golden response samples → the response they are a body of. */
  static Stream<Arguments> goldenResponses() {
    return Stream.of(
        Arguments.of("authorization-url-response", "GET", ApiPaths.AUTHORIZE, 200),
        Arguments.of("connections-response", "GET", ApiPaths.CONNECTIONS, 200),
        Arguments.of("calendars-response", "GET", ApiPaths.CALENDARS, 200),
        Arguments.of("calendar-response", "PATCH", ApiPaths.CALENDAR, 200),
        Arguments.of("sync-requested-response", "POST", ApiPaths.SYNC, 202),
        Arguments.of("sync-status-response", "GET", ApiPaths.SYNC_STATUS, 200),
        Arguments.of("upcoming-events-response", "GET", ApiPaths.UPCOMING_EVENTS, 200),
        Arguments.of("access-token-response", "POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 200),
        Arguments.of("internal-connection-response", "GET", ApiPaths.INTERNAL_CONNECTION, 200),
        Arguments.of("problem", "GET", ApiPaths.UPCOMING_EVENTS, 400),
        Arguments.of("problem-reauth-required", "POST", ApiPaths.SYNC, 409),
        Arguments.of("problem-reauth-required", "POST", ApiPaths.INTERNAL_ACCESS_TOKEN, 409));
  }

  static Stream<Arguments> goldenRequests() {
    return Stream.of(
        Arguments.of("access-token-request", "POST", ApiPaths.INTERNAL_ACCESS_TOKEN),
        Arguments.of("calendar-patch-request", "PATCH", ApiPaths.CALENDAR),
        Arguments.of("calendar-patch-request-color", "PATCH", ApiPaths.CALENDAR),
        Arguments.of("sync-request", "POST", ApiPaths.SYNC));
  }

  @ParameterizedTest(name = "{0} is a {1} {2} {3} body")
  @MethodSource("goldenResponses")
  void everyGoldenResponseMatchesTheOpenApiDocument(
      String sample, String method, String path, int status) {
    assertMatchesOpenApi(method, path, status, GoldenSamples.http(sample));
  }

  @ParameterizedTest(name = "{0} is a {1} {2} request body")
  @MethodSource("goldenRequests")
  void everyGoldenRequestMatchesTheOpenApiDocument(String sample, String method, String path) {
    assertMatchesOpenApiRequest(method, path, GoldenSamples.http(sample));
  }

  @Test
  void everyGoldenHttpSampleIsCheckedAgainstTheDocument() {
    var checked =
        Stream.concat(goldenResponses(), goldenRequests()).map(a -> (String) a.get()[0]).distinct();

    assertThat(checked).containsExactlyInAnyOrderElementsOf(GoldenSamples.HTTP);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.calsync.contract.testing.GoldenSamples#kafkaSamples")
  void everyGoldenKafkaSampleMatchesItsSchema(String sample) {
    assertMatchesKafkaSchema(GoldenSamples.kafkaType(sample), GoldenSamples.kafka(sample));
  }

  @Test
  void everyMessageTypeHasASchema() {
    Stream.concat(
            Arrays.stream(ConnectionMessage.class.getPermittedSubclasses()),
            Arrays.stream(EventChangeMessage.class.getPermittedSubclasses()))
        .map(ContractAssertionsTests::typeOf)
        .forEach(
            type ->
                assertThat(ContractAssertions.kafkaSchemaViolations(type, "{}"))
                    .as(type)
                    .isNotEmpty()
                    .noneMatch(v -> v.startsWith("No JSON Schema")));
  }

  @Test
  void recordsWrittenWithTheContractMapperMatchTheirSchemas() {
    var occurredAt = OffsetDateTime.parse("2026-11-24T09:00:00.5+01:00");
    assertMatchesKafkaSchema(new ConnectionDisconnected(UUID.randomUUID(), "alice", occurredAt));
    assertMatchesKafkaSchema(
        new CalendarRemoved(UUID.randomUUID(), "alice", occurredAt, UUID.randomUUID()));
  }

  // --- HTTP: what it rejects ---------------------------------------------------------------------

  @Test
  void rejectsAResponseWithoutARequiredMember() {
    String body = edit("connections-response", root -> connection(root).remove("account_email"));

    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.CONNECTIONS, 200, body))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("account_email");
  }

  @Test
  void rejectsAResponseMemberOfTheWrongType() {
    String body = edit("calendar-response", root -> root.put("primary", "yes"));

    assertThatThrownBy(() -> assertMatchesOpenApi("PATCH", ApiPaths.CALENDAR, 200, body))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("primary");
  }

  @Test
  void rejectsATimestampWithoutOffsetAndAnIdThatIsNoUuid() {
    String noOffset =
        edit(
            "connections-response",
            root -> connection(root).put("created_at", "2026-11-24T09:00:00"));
    String badId = edit("connections-response", root -> connection(root).put("id", "42"));

    assertThat(
            ContractAssertions.openApiViolations("GET", ApiPaths.CONNECTIONS, 200, null, noOffset))
        .anyMatch(v -> v.contains("created_at"));
    assertThat(ContractAssertions.openApiViolations("GET", ApiPaths.CONNECTIONS, 200, null, badId))
        .anyMatch(v -> v.contains("id"));
  }

  @Test
  void rejectsAnAllDayEventWithDateTimesAndATimedEventWithDates() {
    String allDay =
        edit(
            "upcoming-events-response",
            root ->
                ((ObjectNode) root.get("events").get(2)).put("start", "2026-11-27T00:00:00+01:00"));
    String timed =
        edit(
            "upcoming-events-response",
            root -> ((ObjectNode) root.get("events").get(0)).put("end", "2026-11-24"));

    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 200, allDay))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 200, timed))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void rejectsAnInvalidParameterProblemThatNamesNoParameter() {
    String body = edit("problem", root -> root.putNull("parameter"));

    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 400, body))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("parameter");
  }

  @Test
  void rejectsAProblemWhoseStatusIsNotTheHttpStatusOrWhoseCodeIsUnknown() {
    String unknownCode = edit("problem", root -> root.put("code", "oops"));

    assertThatThrownBy(
            () ->
                assertMatchesOpenApi(
                    "GET", ApiPaths.UPCOMING_EVENTS, 503, GoldenSamples.http("problem")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("HTTP status 503");
    assertThatThrownBy(
            () -> assertMatchesOpenApi("GET", ApiPaths.UPCOMING_EVENTS, 400, unknownCode))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("code");
  }

  @Test
  void acceptsAProblemWithItsStatusCodeAndInstance() {
    assertProblem(
        GoldenSamples.http("problem"), 400, "invalid_parameter", "/api/calendar/events/upcoming/");
    assertProblem(
        GoldenSamples.http("problem-reauth-required"),
        409,
        "reauth_required",
        "/api/calendar/sync/");
  }

  @Test
  void rejectsAProblemWithAnotherCodeInstanceOrAStrayParameter() {
    String problem = GoldenSamples.http("problem");
    assertThatThrownBy(
            () -> assertProblem(problem, 400, "invalid_body", "/api/calendar/events/upcoming/"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("$.code");
    assertThatThrownBy(() -> assertProblem(problem, 400, "invalid_parameter", "/elsewhere/"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("$.instance");
    ObjectNode stray = (ObjectNode) MAPPER.readTree(GoldenSamples.http("problem-reauth-required"));
    stray.put("parameter", "id");
    assertThatThrownBy(
            () -> assertProblem(stray.toString(), 409, "reauth_required", "/api/calendar/sync/"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("$.parameter");
  }

  @Test
  void rejectsUndocumentedResponsesPathsAndBodies() {
    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.CONNECTIONS, 418, "{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("418");
    assertThatThrownBy(() -> assertMatchesOpenApi("GET", "/api/calendar/connections", 200, "{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no path");
    assertThatThrownBy(() -> assertMatchesOpenApi("GET", ApiPaths.CONNECTIONS, 200, "not json"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> assertMatchesOpenApiRequest("GET", ApiPaths.CONNECTIONS, "{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no request body");
  }

  @Test
  void rejectsARequestBodyOfTheWrongShape() {
    assertThatThrownBy(
            () -> assertMatchesOpenApiRequest("PATCH", ApiPaths.CALENDAR, "{\"selected\": \"no\"}"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertMatchesOpenApiRequest("PATCH", ApiPaths.CALENDAR, "{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("selected");
    assertThatThrownBy(
            () -> assertMatchesOpenApiRequest("PATCH", ApiPaths.CALENDAR, "{\"color\": \"red\"}"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () -> assertMatchesOpenApiRequest("POST", ApiPaths.SYNC, "{\"connection_id\": \"x\"}"))
        .isInstanceOf(AssertionError.class);
    assertMatchesOpenApiRequest("POST", ApiPaths.SYNC, "{}");
  }

  @Test
  void acceptsMembersTheDocumentDoesNotKnow() {
    String grown =
        edit("sync-status-response", root -> root.put("generated_at", "2026-11-24T09:00:00Z"));

    assertMatchesOpenApi("GET", ApiPaths.SYNC_STATUS, 200, grown);
    assertMatchesOpenApi(
        "GET", ApiPaths.SYNC_STATUS, 200, Problem.MEDIA_TYPE.replace("problem+", ""), grown);
  }

  @Test
  void validatesANamedComponentSchema() {
    ContractAssertions.assertMatchesOpenApiSchema("Problem", GoldenSamples.http("problem"));
    assertThatThrownBy(
            () -> ContractAssertions.assertMatchesOpenApiSchema("Problem", "{\"title\": 1}"))
        .isInstanceOf(AssertionError.class);
  }

  // --- Kafka: what it rejects --------------------------------------------------------------------

  @Test
  void rejectsAMessageWithoutARequiredMember() {
    String json = editKafka("calendar.snapshot_started", root -> root.remove("calendar_id"));

    assertThatThrownBy(() -> assertMatchesKafkaSchema("calendar.snapshot_started", json))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("calendar_id");
  }

  @Test
  void rejectsAMessageMemberOfTheWrongType() {
    String json = editKafka("event.upserted", root -> root.put("generation", "3"));

    assertThatThrownBy(() -> assertMatchesKafkaSchema("event.upserted", json))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("generation");
  }

  @Test
  void rejectsBrokenEventsAndTimes() {
    String noStart =
        editKafka("event.upserted", root -> ((ObjectNode) root.get("event")).putNull("start"));
    String neitherDateNorTime =
        editKafka(
            "event.upserted",
            root -> ((ObjectNode) root.get("event").get("end")).putNull("date_time"));
    String cancelledUpsert =
        editKafka(
            "event.upserted", root -> ((ObjectNode) root.get("event")).put("status", "cancelled"));
    String noOffset =
        editKafka("connection.connected", root -> root.put("occurred_at", "2026-11-24T08:15:30"));
    String tombstoneWithoutId =
        editKafka("event.deleted", root -> ((ObjectNode) root.get("event")).remove("id"));

    for (var broken :
        Map.of(
                "event.upserted",
                noStart,
                "event.upserted ",
                neitherDateNorTime,
                "event.upserted  ",
                cancelledUpsert,
                "connection.connected",
                noOffset,
                "event.deleted",
                tombstoneWithoutId)
            .entrySet()) {
      assertThat(
              ContractAssertions.kafkaSchemaViolations(broken.getKey().trim(), broken.getValue()))
          .as(broken.getValue())
          .isNotEmpty();
    }
  }

  @Test
  void rejectsAMessageOfAnotherTypeAndAnUnknownType() {
    assertThatThrownBy(
            () -> assertMatchesKafkaSchema("event.upserted", GoldenSamples.kafka("event.deleted")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("type");
    assertThatThrownBy(() -> assertMatchesKafkaSchema("calendar.archived", "{}"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("No JSON Schema");
  }

  @Test
  void acceptsMessageMembersTheSchemaDoesNotKnow() {
    String grown =
        editKafka(
            "event.upserted",
            root -> {
              root.put("trace_id", "abc");
              ((ObjectNode) root.get("event")).putArray("attendees").add("bob@example.com");
            });

    assertMatchesKafkaSchema("event.upserted", grown);
  }

  private static ObjectNode connection(ObjectNode root) {
    return (ObjectNode) ((ArrayNode) root.get("connections")).get(0);
  }

  private static String edit(String httpSample, Consumer<ObjectNode> change) {
    ObjectNode root = (ObjectNode) MAPPER.readTree(GoldenSamples.http(httpSample));
    change.accept(root);
    return MAPPER.writeValueAsString(root);
  }

  private static String editKafka(String kafkaSample, Consumer<ObjectNode> change) {
    ObjectNode root = (ObjectNode) MAPPER.readTree(GoldenSamples.kafka(kafkaSample));
    change.accept(root);
    return MAPPER.writeValueAsString(root);
  }

  static String typeOf(Class<?> record) {
    try {
      return (String) record.getField("TYPE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
