package io.calsync.query.upcoming.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.query.config.PlannerSettings;
import io.calsync.query.readmodel.persistence.ReadModelWriter;
import io.calsync.query.support.QueryServiceTest;
import io.calsync.query.support.TestBeans;
import io.calsync.query.upcoming.domain.Window;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8, item 2: whatever the number of series, the upcoming query reads each half (timed,
 * all-day) as one ordered range of {@code occurrences_upcoming_idx} that stops at the limit, with
 * no sort and no bitmap scan of the whole window, on a calendar big enough that the window holds
 * many times the limit, with statistics as autovacuum keeps them.
 */
@QueryServiceTest
class UpcomingQueryPlanTests {

  @Autowired ReadModelWriter writer;
  @Autowired DatabaseClient db;

  @Test
  void aBusyCalendarIsReadAsOneOrderedIndexRangePerHalfWithoutASort() {
    String heavy = "plan-heavy-" + UUID.randomUUID();
    HeavyCalendar.seed(writer, heavy, 4_000, 320, 4);
    for (int u = 0; u < 10; u++) {
      HeavyCalendar.seed(writer, "plan-light-" + u + "-" + UUID.randomUUID(), 60, 6, 1);
    }
    db.sql("analyze").then().block();

    assertOneOrderedIndexRangePerHalf(plan(heavy));
  }

  /**
   * Statistics that lag the table, as between two of autovacuum's analyses while a new deployment
   * fills: they say a couple of rows. Left to them, PostgreSQL read every occurrence ending after
   * now (of every user) through {@code occurrences_end_idx}; the service's {@link PlannerSettings}
   * keep the plan.
   */
  @Test
  void statisticsThatLagTheTableDoNotChangeThePlan() {
    String heavy = "plan-stale-" + UUID.randomUUID();
    HeavyCalendar.seed(writer, heavy, 4_000, 320, 4);
    db.sql("analyze").then().block();
    try {
      db.sql(
              "update pg_class set reltuples = 2"
                  + " where relname in ('events', 'occurrences', 'calendars')")
          .then()
          .block();

      assertOneOrderedIndexRangePerHalf(plan(heavy));
    } finally {
      db.sql("analyze").then().block();
    }
  }

  private static void assertOneOrderedIndexRangePerHalf(JsonNode plan) {
    List<JsonNode> nodes = new ArrayList<>();
    collect(plan, nodes);
    List<JsonNode> occurrenceReads =
        nodes.stream()
            .filter(n -> "occurrences".equals(n.path("Relation Name").asString(null)))
            .toList();
    assertThat(occurrenceReads)
        .as("reads of occurrences in %s", plan)
        .hasSize(2)
        .allSatisfy(
            n -> {
              assertThat(n.path("Node Type").asString()).isEqualTo("Index Scan");
              assertThat(n.path("Index Name").asString()).isEqualTo("occurrences_upcoming_idx");
              assertThat(n.path("Actual Rows").asLong()).isLessThanOrEqualTo(20);
            });
    assertThat(nodes)
        .as("plan %s", plan)
        .extracting(n -> n.path("Node Type").asString())
        .doesNotContain("Sort", "Bitmap Heap Scan", "Incremental Sort", "Hash Join", "Seq Scan");
  }

  private JsonNode plan(String user) {
    Window window = Window.of(TestBeans.NOW, ZoneId.of("Europe/Berlin"), 7);
    String json =
        db.sql("explain (analyze, format json) " + R2dbcUpcomingEventStore.QUERY)
            .bind("user", user)
            .bind("from", window.from().toOffsetDateTime())
            .bind("to", window.to().toOffsetDateTime())
            .bind("firstDay", window.firstDate().atStartOfDay().atOffset(ZoneOffset.UTC))
            .bind("lastDay", window.lastDate().atStartOfDay().atOffset(ZoneOffset.UTC))
            .bind("limit", 20)
            .map(row -> row.get(0, String.class))
            .one()
            .block();
    return JsonMapper.builder().build().readTree(json).get(0).get("Plan");
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    into.add(node);
    for (JsonNode child : node.path("Plans")) {
      collect(child, into);
    }
  }
}
