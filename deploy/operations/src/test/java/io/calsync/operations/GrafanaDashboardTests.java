package io.calsync.operations;

import static io.calsync.operations.Manifests.ROOT;
import static io.calsync.operations.Manifests.at;
import static io.calsync.operations.Manifests.listAt;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard (deploy/grafana/dashboards/calsync.json): a row per service and the
 * pipeline row, every panel asking Prometheus through the dashboard's data-source variable, and
 * every query valid PromQL ({@code promtool check rules} on the queries written as recording rules;
 * skipped, saying so, where promtool is missing). Whether each metric exists on the running stack
 * is deploy/local-stack's MetricsSystemTests.
 */
class GrafanaDashboardTests {

  private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/dashboards/calsync.json");

  static final String PIPELINE = "Pipeline: Google to read model";

  /** What the pipeline row follows, in order, from Google to the read model. */
  private static final List<String> PIPELINE_STAGES =
      List.of(
          "calsync_google_requests",
          "calsync_sync_runs",
          "calsync_sync_changes_published",
          "kafka_consumer_fetch_manager_records_lag",
          "calsync_query_apply_lag",
          "calsync_query_rows");

  /** Grafana's range variables, which promtool does not know; replaced by a fixed range. */
  private static final List<String> RANGE_VARIABLES =
      List.of("$__rate_interval", "$__interval", "$__range");

  @Test
  void theDashboardHasAPipelineRowARowPerServiceAndAJvmRow() throws IOException {
    assertThat(panelsByRow().keySet())
        .containsExactly(
            PIPELINE,
            "gateway",
            "oauth-service",
            "sync-service",
            "events-query-service",
            "JVM and memory per instance");
  }

  @Test
  void thePipelineRowFollowsAChangeFromGoogleToTheReadModel() throws IOException {
    String pipeline = String.join("\n", expressions(panelsByRow().get(PIPELINE)));
    int previous = -1;
    for (String stage : PIPELINE_STAGES) {
      int position = pipeline.indexOf(stage);
      assertThat(position).as(stage).isGreaterThan(previous);
      previous = position;
    }
  }

  @Test
  void everyPanelAsksPrometheusThroughTheDataSourceVariable() throws IOException {
    assertThat(listAt(dashboard(), "templating", "list"))
        .anySatisfy(
            variable -> {
              assertThat(variable.get("name")).isEqualTo("datasource");
              assertThat(variable.get("query")).isEqualTo("prometheus");
            });
    for (List<Map<String, Object>> panels : panelsByRow().values()) {
      assertThat(panels).isNotEmpty();
      for (Map<String, Object> panel : panels) {
        String title = (String) panel.get("title");
        assertThat(at(panel, "datasource", "uid")).as(title).isEqualTo("${datasource}");
        assertThat(listAt(panel, "targets")).as(title).isNotEmpty();
        for (Map<String, Object> target : listAt(panel, "targets")) {
          assertThat((String) target.get("expr")).as(title).isNotBlank();
        }
      }
    }
  }

  @Test
  void everyQueryIsValidPromQl(@TempDir Path directory) throws Exception {
    List<String> expressions = new ArrayList<>();
    panelsByRow().values().forEach(panels -> expressions.addAll(expressions(panels)));
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < expressions.size(); i++) {
      String expression = expressions.get(i);
      for (String variable : RANGE_VARIABLES) {
        expression = expression.replace(variable, "5m");
      }
      rules
          .append("      - record: dashboard_panel_")
          .append(i)
          .append("\n        expr: '")
          .append(expression.replace("'", "''"))
          .append("'\n");
    }
    Path file = directory.resolve("dashboard-queries.yml");
    Files.writeString(file, rules);

    assertThat(PrometheusTests.promtool("check", "rules", file.toString()))
        .contains("SUCCESS: " + expressions.size() + " rules found");
  }

  /** The panels under each row, in the dashboard's order (rows expanded or collapsed). */
  static Map<String, List<Map<String, Object>>> panelsByRow() throws IOException {
    Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
    List<Map<String, Object>> current = null;
    for (Map<String, Object> panel : listAt(dashboard(), "panels")) {
      if ("row".equals(panel.get("type"))) {
        current = new ArrayList<>(listAt(panel, "panels"));
        rows.put((String) panel.get("title"), current);
      } else {
        assertThat(current).as("panel %s before any row", panel.get("title")).isNotNull();
        current.add(panel);
      }
    }
    return rows;
  }

  static List<String> expressions(List<Map<String, Object>> panels) {
    List<String> expressions = new ArrayList<>();
    for (Map<String, Object> panel : panels) {
      for (Map<String, Object> target : listAt(panel, "targets")) {
        expressions.add((String) target.get("expr"));
      }
    }
    return expressions;
  }

  /** The dashboard JSON (JSON is YAML, so the module's one parser reads it). */
  private static Map<String, Object> dashboard() throws IOException {
    return Manifests.documents(Files.readString(DASHBOARD)).get(0);
  }
}
