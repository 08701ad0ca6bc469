package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.query.readmodel.persistence.ReadModelWriter.Applied;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.ReadModelProbe;
import io.calsync.query.support.ReadModelStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch writer against the real database: the same stream ({@link ReadModelStream}) applied one
 * message per transaction, in batches of every size, twice, and with a refused message inside a
 * batch leaves identical tables and announces the same changes, in the same order.
 */
@QueryServiceTest
class BatchIngestTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired ReadModelWriter writer;

  @Test
  void whenTheStreamIsAppliedInBatchesOfEverySizeThenTablesAndAnnouncementsAreThoseOfOneAtATime()
      throws Exception {
    try (ReadModelProbe probe = new ReadModelProbe()) {
      ReadModelStream first = new ReadModelStream();
      applyInBatches(first.messages(), 1);
      List<String> tables = probe.tables(first);
      List<String> announced = probe.announcements(first);
      assertTheRulesHeld(tables, announced);
      // the whole stream once more, one at a time: what a replay from the start does by the rules
      // (rows swept by a snapshot, which keeps no tombstone, come back until the next sweep)
      applyInBatches(first.messages(), 1);
      List<String> replayedTables = probe.tables(first);
      List<String> replayAnnounced = probe.announcements(first);

      int n = first.messages().size();
      for (int size = 1; size <= n; size++) {
        ReadModelStream world = new ReadModelStream();
        applyInBatches(world.messages(), size);
        assertSame(probe, world, tables, announced, "batches of " + size);

        applyInBatches(world.messages(), size);
        assertSame(probe, world, replayedTables, replayAnnounced, "replayed in batches of " + size);
      }
    }
  }

  @Test
  void whenEachMessageIsDeliveredTwiceInARowThenTheSecondChangesAndAnnouncesNothing()
      throws Exception {
    try (ReadModelProbe probe = new ReadModelProbe()) {
      ReadModelStream first = new ReadModelStream();
      applyInBatches(first.messages(), 1);
      List<String> tables = probe.tables(first);
      List<String> announced = probe.announcements(first);

      int n = 2 * first.messages().size();
      for (int size = 1; size <= n; size++) {
        ReadModelStream world = new ReadModelStream();
        List<Object> twice = new ArrayList<>();
        for (Object message : world.messages()) {
          twice.add(message);
          twice.add(message);
        }
        applyInBatches(twice, size);
        assertSame(probe, world, tables, announced, "batches of " + size);
      }
    }
  }

  @Test
  void whenTheRulesRefuseAMessageInsideABatchThenTheOthersApplyAsIfItWereNotThere()
      throws Exception {
    try (ReadModelProbe probe = new ReadModelProbe()) {
      ReadModelStream first = new ReadModelStream();
      applyInBatches(first.messages(), 1);
      List<String> tables = probe.tables(first);
      List<String> announced = probe.announcements(first);

      int n = first.messages().size() + 3;
      for (int size = 1; size <= n; size++) {
        ReadModelStream world = new ReadModelStream();
        List<Object> messages = new ArrayList<>(world.messages());
        Object poison = world.withoutEventId();
        messages.add(0, poison);
        messages.add(messages.size() / 2, poison);
        messages.add(poison);

        int refused = 0;
        int next = 0;
        while (next < messages.size()) {
          // as the container does: the records before the refused one are committed, it is
          // dead-lettered, the next poll starts after it
          List<Object> batch = messages.subList(next, Math.min(messages.size(), next + size));
          Applied applied = writer.apply(batch).block(WAIT);
          if (applied.failure() == null) {
            assertThat(applied.count()).isEqualTo(batch.size());
            next += batch.size();
          } else {
            assertThat(applied.failure()).isInstanceOf(IllegalArgumentException.class);
            assertThat(batch.get(applied.count())).isSameAs(poison);
            refused++;
            next += applied.count() + 1;
          }
        }

        assertThat(refused).as("batches of %d", size).isEqualTo(3);
        assertSame(probe, world, tables, announced, "batches of " + size);
      }
    }
  }

  @Test
  void whenTheDatabaseRefusesARowThenTheWholeBatchRollsBackAndAnnouncesNothing() throws Exception {
    try (ReadModelProbe probe = new ReadModelProbe()) {
      ReadModelStream world = new ReadModelStream();
      List<Object> messages = new ArrayList<>(world.messages());
      messages.add(messages.size() / 2, world.withoutUser());

      assertThatThrownBy(() -> writer.apply(messages).block(WAIT))
          .isInstanceOf(DataIntegrityViolationException.class);

      assertThat(probe.tables(world)).isEmpty();
      assertThat(probe.announcements(world)).isEmpty();
    }
  }

  private void applyInBatches(List<Object> messages, int size) {
    for (int from = 0; from < messages.size(); from += size) {
      List<Object> batch = messages.subList(from, Math.min(messages.size(), from + size));
      Applied applied = writer.apply(batch).block(WAIT);
      assertThat(applied).isEqualTo(new Applied(batch.size(), null));
    }
  }

  /** The stream's outcome by the read model's rules, checked on the one-at-a-time run. */
  private static void assertTheRulesHeld(List<String> tables, List<String> announced) {
    List<String> events = new ArrayList<>();
    List<String> calendars = new ArrayList<>();
    List<String> connections = new ArrayList<>();
    for (String row : tables) {
      JsonNode r = JSON.readTree(row);
      if (r.has("event_id")) {
        events.add(
            String.join(
                " ",
                r.get("connection_id").asString(),
                r.get("calendar_id").asString(),
                r.get("event_id").asString(),
                r.get("title").asString("-"),
                r.get("deleted").asBoolean() ? "deleted" : "live",
                "gen" + r.get("generation").asLong()));
      } else if (r.has("calendar_id")) {
        calendars.add(
            String.join(
                " ",
                r.get("connection_id").asString(),
                r.get("calendar_id").asString(),
                r.get("name").asString("-"),
                r.get("selected").asBoolean() ? "selected" : "deselected",
                r.get("removed").asBoolean() ? "removed" : "present"));
      } else {
        connections.add(
            String.join(
                " ",
                r.get("id").asString(),
                r.get("status").asString(),
                r.get("disconnected_at").isNull() ? "never-disconnected" : "was-disconnected"));
      }
    }
    assertThat(events)
        .containsExactlyInAnyOrder(
            "connectionA work e1 v2 live gen2", // newer wins, re-delivered in generation 2
            "connectionA work e3 v2 deleted gen2", // a tombstone that keeps what it knew
            "connectionA work s Standup live gen2", // the gen-1 exceptions swept
            "connectionA work e2 after the sweep live gen2", // its tombstone swept before
            "connectionB shared f1 again live gen1", // deleted by the disconnect, written anew
            "connectionB shared f6 fresh live gen1"); // after the reconnect only
    assertThat(calendars)
        .containsExactlyInAnyOrder(
            "connectionA work Work (renamed) selected present",
            "connectionA personal Personal deselected removed",
            "connectionB shared Shared selected present");
    assertThat(connections)
        .containsExactlyInAnyOrder(
            "connectionA active never-disconnected", "connectionB active was-disconnected");
    assertThat(
            announced.stream()
                .map(JSON::readTree)
                .map(
                    a ->
                        a.get("type").asString()
                            + " "
                            + a.get(a.get("event_id").isNull() ? "connection_id" : "event_id")
                                .asString()
                            + (a.get("calendar_id").isNull()
                                ? ""
                                : " in " + a.get("calendar_id").asString()))
                .toList())
        .containsExactly(
            "connection.connected connectionA",
            "connection.connected connectionB",
            "calendar.upserted connectionA in work",
            "calendar.upserted connectionA in personal",
            "calendar.upserted connectionB in shared",
            "event.upserted e1 in work",
            "event.upserted e2 in work",
            "event.upserted s in work",
            "event.upserted e1 in work", // v2; the older v1.5 after it announces nothing
            "event.deleted s_20261124T090000Z in work",
            "event.upserted s_20261125T090000Z in work",
            "event.deleted e2 in work", // the cancelled upsert; the older one after it: nothing
            "calendar.snapshot_completed connectionA in work", // once, not on its replay
            "event.upserted e3 in work", // the re-deliveries of generation 2 are silent
            "calendar.snapshot_completed connectionA in work",
            "event.upserted e2 in work",
            "event.upserted e3 in work",
            "event.upserted p1 in personal",
            "calendar.upserted connectionA in personal", // deselected; p2 after it: nothing
            "calendar.removed connectionA in personal",
            "calendar.upserted connectionA in work", // renamed; the replay before it: nothing
            "event.deleted e3 in work",
            "event.upserted f1 in shared",
            "event.upserted f2 in shared",
            "connection.reauth_required connectionB",
            "connection.disconnected connectionB", // f3, f4 and the older connect: nothing
            "connection.connected connectionB", // f5, of before the disconnect: nothing
            "calendar.upserted connectionB in shared",
            "event.upserted f6 in shared",
            "event.upserted f1 in shared");
  }

  /**
   * The stream's tables and announcements are the reference's ({@code what}: how it was applied).
   */
  private static void assertSame(
      ReadModelProbe probe,
      ReadModelStream world,
      List<String> tables,
      List<String> announced,
      String what)
      throws Exception {
    assertThat(probe.tables(world)).as("tables, %s", what).isEqualTo(tables);
    assertThat(probe.announcements(world)).as("announcements, %s", what).isEqualTo(announced);
  }
}
