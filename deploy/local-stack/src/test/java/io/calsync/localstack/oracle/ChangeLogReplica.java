package io.calsync.localstack.oracle;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CalendarRemoved;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.contract.kafka.EventChangeMessage;
import io.calsync.contract.kafka.EventDeleted;
import io.calsync.contract.kafka.EventPayload;
import io.calsync.contract.kafka.EventUpserted;
import io.calsync.contract.kafka.SnapshotCompleted;
import io.calsync.contract.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A downstream consumer as a third party would write it from the Kafka contract alone: it reads
 * {@code calendar.event-changes.v1} from the beginning and keeps, per calendar, the events a
 * subscriber should hold. Its rules are the contract's: a change with an older {@code updated} than
 * the one held never wins (a replayed or late message), a deletion is remembered as a tombstone
 * with its {@code updated}, {@code snapshot_completed} drops the calendar's rows of older
 * generations, and {@code calendar.removed} drops the calendar.
 */
public final class ChangeLogReplica {

  /** A calendar as last announced. */
  public record Calendar(UUID connectionId, UUID calendarId, String providerId, boolean selected) {}

  /** An event (or tombstone) held for a calendar. */
  public record Held(
      UUID connectionId, EventPayload event, Instant updated, long generation, boolean deleted) {}

  private final JsonMapper json = CalendarJson.mapper();
  private final Map<UUID, Calendar> calendars = new HashMap<>();
  private final Map<UUID, Map<String, Held>> events = new HashMap<>();
  private long messages;

  /** Replays the whole topic for the given connections. */
  public static ChangeLogReplica read(String bootstrapServers, Set<UUID> connections) {
    ChangeLogReplica replica = new ChangeLogReplica();
    forEachRecord(
        bootstrapServers,
        connections,
        record -> replica.apply(replica.json.readValue(record.value(), EventChangeMessage.class)));
    return replica;
  }

  /**
   * Hands every record of {@code calendar.event-changes.v1} keyed by one of {@code connections},
   * from the beginning of each partition to its end now, to {@code action}, partition by partition
   * in offset order.
   */
  public static void forEachRecord(
      String bootstrapServers,
      Set<UUID> connections,
      Consumer<ConsumerRecord<String, String>> action) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.EVENT_CHANGES, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() != null
              && record.key() != null
              && connections.contains(UUID.fromString(record.key()))) {
            action.accept(record);
          }
        }
      }
    }
  }

  void apply(EventChangeMessage message) {
    if (message == null) {
      return; // a type this consumer does not know: skipped, as the contract allows
    }
    messages++;
    if (message instanceof CalendarUpserted c) {
      calendars.put(
          c.calendarId(),
          new Calendar(c.connectionId(), c.calendarId(), c.providerCalendarId(), c.selected()));
    } else if (message instanceof CalendarRemoved r) {
      calendars.remove(r.calendarId());
      events.remove(r.calendarId());
    } else if (message instanceof SnapshotCompleted s) {
      events
          .getOrDefault(s.calendarId(), new HashMap<>())
          .values()
          .removeIf(h -> h.generation() < s.generation());
    } else if (message instanceof EventUpserted u) {
      hold(
          u.connectionId(),
          u.calendarId(),
          u.event(),
          updated(u.event(), u.occurredAt()),
          u.generation(),
          false);
    } else if (message instanceof EventDeleted d) {
      hold(
          d.connectionId(),
          d.calendarId(),
          d.event(),
          updated(d.event(), d.occurredAt()),
          d.generation(),
          true);
    }
    // snapshot_started changes nothing a subscriber holds
  }

  /**
   * Google's {@code updated}; a cancelled event may come without it, and then the message's time
   * stands in (at the microseconds a database keeps).
   */
  private static Instant updated(EventPayload event, OffsetDateTime occurredAt) {
    return (event.updated() != null ? event.updated() : occurredAt)
        .toInstant()
        .truncatedTo(ChronoUnit.MICROS);
  }

  private void hold(
      UUID connectionId,
      UUID calendarId,
      EventPayload event,
      Instant updated,
      long generation,
      boolean deleted) {
    Map<String, Held> calendar = events.computeIfAbsent(calendarId, k -> new HashMap<>());
    Held current = calendar.get(event.id());
    if (current != null && updated.isBefore(current.updated())) {
      // older data never wins; the row still belongs to the newer snapshot
      calendar.put(
          event.id(),
          new Held(
              connectionId,
              current.event(),
              current.updated(),
              Math.max(current.generation(), generation),
              current.deleted()));
      return;
    }
    long kept = current == null ? generation : Math.max(current.generation(), generation);
    calendar.put(event.id(), new Held(connectionId, event, updated, kept, deleted));
  }

  /** The calendars announced and not removed, by the platform's calendar id. */
  public Map<UUID, Calendar> calendars() {
    return Map.copyOf(calendars);
  }

  /** The events (not tombstones) held, keyed {@code connection/calendar/event}. */
  public Map<String, Held> liveEvents() {
    Map<String, Held> live = new HashMap<>();
    events.forEach(
        (calendarId, held) ->
            held.forEach(
                (id, h) -> {
                  if (!h.deleted()) {
                    live.put(h.connectionId() + "/" + calendarId + "/" + id, h);
                  }
                }));
    return live;
  }

  public long messages() {
    return messages;
  }
}
