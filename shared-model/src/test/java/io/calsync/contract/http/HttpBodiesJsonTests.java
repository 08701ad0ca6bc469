package io.calsync.contract.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.problem.Problem;
import io.calsync.contract.testing.GoldenSamples;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class HttpBodiesJsonTests {

  private static final JsonMapper MAPPER = CalendarJson.mapper();

  /** Golden sample → the record it is the body of. */
  static final Map<String, Class<?>> SAMPLES =
      Map.ofEntries(
          Map.entry("access-token-request", AccessTokenRequest.class),
          Map.entry("access-token-response", AccessTokenResponse.class),
          Map.entry("authorization-url-response", AuthorizationUrlResponse.class),
          Map.entry("calendar-patch-request", CalendarPatchRequest.class),
          Map.entry("calendar-patch-request-color", CalendarPatchRequest.class),
          Map.entry("calendar-response", CalendarResponse.class),
          Map.entry("calendars-response", CalendarsResponse.class),
          Map.entry("connections-response", ConnectionsResponse.class),
          Map.entry("internal-connection-response", InternalConnectionResponse.class),
          Map.entry("problem", Problem.class),
          Map.entry("problem-reauth-required", Problem.class),
          Map.entry("sync-request", SyncRequest.class),
          Map.entry("sync-requested-response", SyncRequestedResponse.class),
          Map.entry("sync-status-response", SyncStatusResponse.class),
          Map.entry("upcoming-events-response", UpcomingEventsResponse.class));

  /**
   * Records that only occur inside a list of another body; their golden form is in that body's
   * sample.
   */
  private static final Set<Class<?>> LIST_ELEMENTS =
      Set.of(ConnectionResponse.class, UpcomingEvent.class);

  static Stream<Arguments> samples() {
    return SAMPLES.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void goldenSampleRoundTripsUnchanged(String name, Class<?> type) throws Exception {
    String golden = GoldenSamples.http(name);

    Object value = MAPPER.readValue(golden, type);
    String written = MAPPER.writeValueAsString(value);

    JSONAssert.assertEquals(golden, written, JSONCompareMode.STRICT);
    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void goldenSampleUsesSnakeCaseNamesOnly(String name, Class<?> type) {
    assertThat(fieldNames(MAPPER.readTree(GoldenSamples.http(name))))
        .isNotEmpty()
        .allMatch(field -> field.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), "snake_case");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void unknownFieldsAreIgnored(String name, Class<?> type) {
    ObjectNode grown = (ObjectNode) MAPPER.readTree(GoldenSamples.http(name));
    grown.put("added_in_a_later_version", "ignored");
    grown.putObject("another_new_member").put("nested", 1);

    assertThat(MAPPER.treeToValue(grown, type))
        .isEqualTo(MAPPER.readValue(GoldenSamples.http(name), type));
  }

  @Test
  void everyPublicHttpRecordHasAGoldenSample() {
    Set<Class<?>> records =
        new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.calsync.contract.http")
                .stream()
                .filter(JavaClass::isRecord)
                .filter(c -> c.isTopLevelClass())
                .map(JavaClass::reflect)
                .collect(Collectors.toSet());

    assertThat(records).isNotEmpty();
    assertThat(records).allMatch(r -> SAMPLES.containsValue(r) || LIST_ELEMENTS.contains(r));
    assertThat(GoldenSamples.HTTP).containsExactlyInAnyOrderElementsOf(SAMPLES.keySet());
  }

  @Test
  void recordsAreWrittenWithSnakeCaseNamesAndOffsetsAsGiven() {
    var connection =
        new ConnectionResponse(
            UUID.fromString("3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21"),
            "google",
            "demo@example.com",
            ConnectionStatus.REAUTH_REQUIRED,
            List.of("openid"),
            OffsetDateTime.of(2026, 11, 24, 9, 0, 0, 0, ZoneOffset.ofHours(1)),
            OffsetDateTime.of(2026, 11, 24, 8, 0, 0, 0, ZoneOffset.UTC));

    JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(connection));

    assertThat(json.get("account_email").asString()).isEqualTo("demo@example.com");
    assertThat(json.get("status").asString()).isEqualTo("reauth_required");
    assertThat(json.get("created_at").asString()).isEqualTo("2026-11-24T09:00:00+01:00");
    assertThat(json.get("updated_at").asString()).isEqualTo("2026-11-24T08:00:00Z");
    assertThat(json.has("accountEmail")).isFalse();
  }

  @Test
  void offsetsAreKeptWhenRead() {
    var upcoming =
        MAPPER.readValue(
            GoldenSamples.http("upcoming-events-response"), UpcomingEventsResponse.class);

    assertThat(upcoming.window().from().getOffset()).isEqualTo(ZoneOffset.ofHours(1));
    assertThat(upcoming.window().from())
        .isEqualTo(OffsetDateTime.parse("2026-11-24T09:15:30+01:00"));
    assertThat(upcoming.events().get(0).start()).isEqualTo("2026-11-24T09:00:00+01:00");
    assertThat(upcoming.events().get(2).allDay()).isTrue();
    assertThat(upcoming.events().get(2).start()).isEqualTo("2026-11-27");
  }

  @Test
  void nullsAreWrittenNotDropped() {
    var status =
        new SyncStatusResponse(
            List.of(
                new SyncStatusResponse.ConnectionSync(
                    UUID.randomUUID(), "queued", null, null, null, null, List.of())));

    JsonNode connection =
        MAPPER.readTree(MAPPER.writeValueAsString(status)).get("connections").get(0);

    assertThat(connection.has("last_error")).isTrue();
    assertThat(connection.get("last_error").isNull()).isTrue();
    assertThat(connection.get("last_success_at").isNull()).isTrue();
    assertThat(connection.get("next_sync_at").isNull()).isTrue();
  }

  @Test
  void anEmptySyncRequestMeansEveryConnection() {
    assertThat(MAPPER.readValue("{}", SyncRequest.class).connectionId()).isNull();
  }

  @Test
  void connectionStatusUsesItsWireNames() {
    assertThat(MAPPER.writeValueAsString(ConnectionStatus.ACTIVE)).isEqualTo("\"active\"");
    assertThat(MAPPER.readValue("\"reauth_required\"", ConnectionStatus.class))
        .isEqualTo(ConnectionStatus.REAUTH_REQUIRED);
  }

  @Test
  void accessTokenNeverAppearsInToString() {
    var response =
        MAPPER.readValue(GoldenSamples.http("access-token-response"), AccessTokenResponse.class);

    assertThat(response.accessToken()).isEqualTo("ya29.emulator-access-token-5f1c0e7a");
    assertThat(response.toString())
        .doesNotContain(response.accessToken())
        .contains("<redacted>")
        .contains("2026-11-24T09:15:29Z");
  }

  @Test
  void rejectedAccessTokenNeverAppearsInToStringAndMayBeAbsent() {
    var request =
        MAPPER.readValue(GoldenSamples.http("access-token-request"), AccessTokenRequest.class);

    assertThat(request.rejectedAccessToken()).isEqualTo("ya29.emulator-access-token-5f1c0e7a");
    assertThat(request.toString())
        .doesNotContain(request.rejectedAccessToken())
        .contains("<redacted>");
    assertThat(MAPPER.readValue("{}", AccessTokenRequest.class).rejectedAccessToken()).isNull();
  }

  static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.TreeSet<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        names.add(e.getKey());
        names.addAll(fieldNames(e.getValue()));
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        names.addAll(fieldNames(element));
      }
    }
    return names;
  }
}
