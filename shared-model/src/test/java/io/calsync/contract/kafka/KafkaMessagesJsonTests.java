package io.calsync.contract.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.testing.GoldenSamples;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class KafkaMessagesJsonTests {

  private static final JsonMapper MAPPER = CalendarJson.mapper();

  private static final UUID CONNECTION = UUID.fromString("3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21");
  private static final UUID CALENDAR = UUID.fromString("7d1e4b2a-5c3f-4e8d-a9b0-2c6f1e3d5a74");
  private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-24T08:15:30.123Z");

  /** Every message type → its record, from the two sealed hierarchies. */
  static final Map<String, Class<?>> TYPES =
      Stream.concat(
              Arrays.stream(ConnectionMessage.class.getPermittedSubclasses()),
              Arrays.stream(EventChangeMessage.class.getPermittedSubclasses()))
          .collect(Collectors.toMap(KafkaMessagesJsonTests::typeOf, Function.identity()));

  static List<String> samples() {
    return GoldenSamples.KAFKA;
  }

  /** The interface a reader of the sample's topic reads values as. */
  static Class<?> topicType(String type) {
    return ConnectionMessage.class.isAssignableFrom(TYPES.get(type))
        ? ConnectionMessage.class
        : EventChangeMessage.class;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void goldenSampleRoundTripsUnchangedThroughItsTopicType(String name) throws Exception {
    String golden = GoldenSamples.kafka(name);
    String type = GoldenSamples.kafkaType(name);

    Object message = MAPPER.readValue(golden, topicType(type));
    String written = MAPPER.writeValueAsString(message);

    assertThat(message).isInstanceOf(TYPES.get(type));
    JSONAssert.assertEquals(golden, written, JSONCompareMode.STRICT);
    assertThat(MAPPER.readTree(written)).isEqualTo(MAPPER.readTree(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void goldenSampleReadsAsItsConcreteRecordToo(String name) {
    String type = GoldenSamples.kafkaType(name);
    Object viaInterface = MAPPER.readValue(GoldenSamples.kafka(name), topicType(type));

    assertThat(MAPPER.readValue(GoldenSamples.kafka(name), TYPES.get(type)))
        .isEqualTo(viaInterface);
    assertThat(MAPPER.readTree(GoldenSamples.kafka(name)).get("type").asString()).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void goldenSampleUsesSnakeCaseNamesOnly(String name) {
    assertThat(fieldNames(MAPPER.readTree(GoldenSamples.kafka(name))))
        .contains("type", "connection_id", "user_id", "occurred_at")
        .allMatch(field -> field.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"), "snake_case");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void unknownFieldsAreIgnored(String name) {
    String type = GoldenSamples.kafkaType(name);
    ObjectNode grown = (ObjectNode) MAPPER.readTree(GoldenSamples.kafka(name));
    grown.put("added_in_v1_later", true);
    if (grown.get("event") instanceof ObjectNode event) {
      event.put("attendees_count", 3);
      event.putObject("start_extra").put("x", 1);
    }

    assertThat(MAPPER.treeToValue(grown, topicType(type)))
        .isEqualTo(MAPPER.readValue(GoldenSamples.kafka(name), topicType(type)));
  }

  @Test
  void everyMessageTypeHasAGoldenSample() {
    Set<String> sampled =
        GoldenSamples.KAFKA.stream().map(GoldenSamples::kafkaType).collect(Collectors.toSet());

    assertThat(TYPES).hasSize(9);
    assertThat(sampled).containsExactlyInAnyOrderElementsOf(TYPES.keySet());
  }

  @Test
  void unknownTypeReadsAsNullOnBothTopics() {
    String future =
        """
        {"type": "calendar.archived", "connection_id": "3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21",
         "user_id": "alice", "occurred_at": "2026-11-24T08:15:30Z", "calendar_id": "7d1e4b2a-5c3f-4e8d-a9b0-2c6f1e3d5a74"}
        """;

    assertThat(MAPPER.readValue(future, EventChangeMessage.class)).isNull();
    assertThat(
            MAPPER.readValue(
                future.replace("calendar.archived", "connection.paused"), ConnectionMessage.class))
        .isNull();
  }

  @Test
  void typeIsWrittenOnceWhetherWrittenAsRecordOrAsItsInterface() {
    EventChangeMessage removed = new CalendarRemoved(CONNECTION, "alice", NOW, CALENDAR);

    String asRecord = MAPPER.writeValueAsString(removed);
    String asInterface = MAPPER.writerFor(EventChangeMessage.class).writeValueAsString(removed);

    for (String json : List.of(asRecord, asInterface)) {
      assertThat(MAPPER.readTree(json).get("type").asString()).isEqualTo("calendar.removed");
      assertThat(json.split("\"type\"", -1)).hasSize(2);
    }
    assertThat(MAPPER.readTree(asRecord)).isEqualTo(MAPPER.readTree(asInterface));
  }

  @Test
  void offsetsOfEventTimesAreKeptAsWritten() {
    EventUpserted upserted =
        (EventUpserted)
            MAPPER.readValue(GoldenSamples.kafka("event.upserted"), EventChangeMessage.class);

    assertThat(upserted.event().start().dateTime().getOffset()).isEqualTo(ZoneOffset.ofHours(1));
    assertThat(upserted.event().start().timeZone()).isEqualTo("Europe/Berlin");
    JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(upserted));
    assertThat(written.at("/event/start/date_time").asString())
        .isEqualTo("2026-11-26T10:00:00+01:00");
    assertThat(written.at("/occurred_at").asString()).isEqualTo("2026-11-24T08:15:30.731Z");
  }

  @Test
  void allDayTimesAreDatesWithTheOtherMembersNull() {
    var event =
        new EventPayload(
            "e1",
            "confirmed",
            "Offsite",
            null,
            null,
            EventTime.ofDate(LocalDate.of(2026, 11, 27)),
            EventTime.ofDate(LocalDate.of(2026, 11, 28)),
            null,
            null,
            null,
            null,
            NOW,
            "\"1\"",
            "e1@google.com");

    JsonNode json =
        MAPPER.readTree(
            MAPPER.writeValueAsString(
                new EventUpserted(CONNECTION, "alice", NOW, CALENDAR, 1, event)));

    assertThat(json.at("/event/start/date").asString()).isEqualTo("2026-11-27");
    assertThat(json.at("/event/start/date_time").isNull()).isTrue();
    assertThat(json.at("/event/start/time_zone").isNull()).isTrue();
    assertThat(json.at("/event/recurrence").isNull()).isTrue();
    assertThat(json.at("/event/original_start").isNull()).isTrue();
    assertThat(json.at("/generation").asLong()).isEqualTo(1);
  }

  @Test
  void seriesSamplesCarryTheirRecurrenceAndExceptions() {
    var master =
        (EventUpserted)
            MAPPER.readValue(
                GoldenSamples.kafka("event.upserted.series-master"), EventChangeMessage.class);
    var moved =
        (EventUpserted)
            MAPPER.readValue(
                GoldenSamples.kafka("event.upserted.moved-exception"), EventChangeMessage.class);
    var cancelled =
        (EventDeleted)
            MAPPER.readValue(GoldenSamples.kafka("event.deleted"), EventChangeMessage.class);

    assertThat(master.event().recurrence())
        .anyMatch(l -> l.startsWith("RRULE:"))
        .anyMatch(l -> l.startsWith("EXDATE"));
    assertThat(moved.event().recurringEventId()).isEqualTo(master.event().id());
    assertThat(moved.event().originalStart().dateTime())
        .isNotEqualTo(moved.event().start().dateTime());
    assertThat(cancelled.event().status()).isEqualTo("cancelled");
    assertThat(cancelled.event().recurringEventId()).isEqualTo(master.event().id());
    assertThat(cancelled.event().originalStart()).isNotNull();
    assertThat(cancelled.event().start()).isNull();
  }

  @Test
  void topicNamesAndDeadLetters() {
    assertThat(Topics.CONNECTIONS).isEqualTo("calendar.connections.v1");
    assertThat(Topics.EVENT_CHANGES).isEqualTo("calendar.event-changes.v1");
    assertThat(Topics.deadLetter(Topics.EVENT_CHANGES)).isEqualTo("calendar.event-changes.v1.DLT");
  }

  static String typeOf(Class<?> record) {
    try {
      return (String) record.getField("TYPE").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(record + " has no TYPE", e);
    }
  }

  static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
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
