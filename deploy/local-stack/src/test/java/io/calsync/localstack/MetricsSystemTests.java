package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Scrapes every service instance of the running stack after the other system tests made it work: no
 * label carries a user, connection, calendar or event id, an e-mail address or another unbounded
 * value, no family has more than {@link #MAX_SERIES} series per instance, every metric an alert
 * rule (deploy/prometheus/rules) or a Grafana panel (deploy/grafana/dashboards) reads exists, and
 * every service exports the families operators rely on ({@link #REQUIRED}) with their labels.
 */
@Order(90)
@ExtendWith(SystemStack.class)
class MetricsSystemTests {

  /** Series of one family on one instance, histogram buckets counted once. */
  static final int MAX_SERIES = 300;

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+.*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern EMAIL = Pattern.compile("[^\\s\"]+@[^\\s\"]+\\.[a-z]{2,}");
  private static final Pattern RULE_METRIC =
      Pattern.compile(
          "\\b((?:calsync|resilience4j|kafka|spring_cloud_gateway|http_server|jvm|r2dbc)_[a-zA-Z0-9_]+)");

  @Test
  void noLabelCarriesAnIdOrPersonalDataAndNoFamilyGrowsWithoutBound() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> scrape : scrapes().entrySet()) {
      Map<String, Set<String>> seriesByFamily = new HashMap<>();
      for (String line : scrape.getValue().split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (line.startsWith("#") || !sample.matches()) {
          continue;
        }
        String family = sample.group(1).replaceAll("_(bucket|count|sum|max)$", "");
        String labels = sample.group(3) == null ? "" : sample.group(3);
        Matcher label = LABEL.matcher(labels);
        List<String> withoutBucket = new ArrayList<>();
        while (label.find()) {
          String value = label.group(2);
          if (UUID.matcher(value).find() || EMAIL.matcher(value).find()) {
            problems.add(scrape.getKey() + ": " + family + " has " + label.group(1) + "=" + value);
          }
          if (!label.group(1).equals("le")) {
            withoutBucket.add(label.group(0));
          }
        }
        seriesByFamily.computeIfAbsent(family, f -> new HashSet<>()).add(withoutBucket.toString());
      }
      seriesByFamily.forEach(
          (family, series) -> {
            if (series.size() > MAX_SERIES) {
              problems.add(scrape.getKey() + ": " + family + " has " + series.size() + " series");
            }
          });
    }
    assertThat(problems).isEmpty();
  }

  /**
   * Families (Prometheus names) each service exports, with the labels their samples carry: issue
   * 10's metrics, whatever traffic the stack had (a connect, its first sync, an upcoming list).
   */
  static final Map<String, List<String>> REQUIRED =
      Map.of(
          "sync-service",
          List.of(
              "calsync_sync_runs_total{trigger,outcome}",
              "calsync_sync_run_duration_seconds_bucket{trigger,outcome,le}",
              "calsync_sync_changes_published_total{kind}",
              "calsync_google_requests_seconds_bucket{operation,status,le}",
              "calsync_google_retries_total{reason}",
              "calsync_google_quota_pauses_total",
              "calsync_sync_watch_channels",
              "calsync_sync_connections{state}",
              "calsync_sync_calendars_synced_within{le}",
              "calsync_sync_calendar_oldest_success_age_seconds",
              "calsync_kafka_dead_letters_total{topic}",
              "kafka_consumer_fetch_manager_records_lag{topic}",
              "kafka_producer_record_error_total"),
          "events-query-service",
          List.of(
              "calsync_query_messages_applied_total{type}",
              "calsync_query_apply_lag_seconds_bucket{le}",
              "calsync_query_rows{table}",
              "calsync_query_streams_open",
              "calsync_kafka_dead_letters_total{topic}",
              "http_server_requests_seconds_bucket{uri,status,le}",
              "kafka_consumer_fetch_manager_records_lag{topic}"),
          "oauth-service",
          List.of(
              "calsync_oauth_callbacks_total",
              "calsync_oauth_connections{status}",
              "calsync_outbox_backlog",
              "calsync_outbox_oldest_age_seconds",
              "kafka_producer_record_error_total"),
          "gateway",
          List.of(
              "spring_cloud_gateway_requests_seconds_bucket{routeId,status,le}",
              "resilience4j_circuitbreaker_state{name,state}"));

  private static final Pattern REQUIRED_FAMILY =
      Pattern.compile("([a-zA-Z0-9_]+)(?:\\{([a-zA-Z_,]+)})?");

  @Test
  void everyServiceExportsTheFamiliesOperatorsRelyOn() throws Exception {
    String token = SystemClient.userToken("metrics-" + java.util.UUID.randomUUID());
    SystemClient.connect(token, SystemClient.newGoogleAccount());
    assertThat(get(SystemClient.gateway("/api/calendar/events/upcoming/"), token).statusCode())
        .isEqualTo(200);
    // the first sync's run, its messages and their application end a moment after the connect
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(missingFamilies()).isEmpty());
  }

  /** What {@link #REQUIRED} lists and no instance of the service exports. */
  private static List<String> missingFamilies() throws Exception {
    Map<String, String> byService = new HashMap<>();
    for (Map.Entry<String, String> scrape : scrapes().entrySet()) {
      for (String service : REQUIRED.keySet()) {
        // instances are named after their service, "-2" for the second lane
        if (scrape.getKey().equals(service) || scrape.getKey().startsWith(service + "-")) {
          byService.merge(service, scrape.getValue(), (a, b) -> a + "\n" + b);
        }
      }
    }
    List<String> missing = new ArrayList<>();
    REQUIRED.forEach(
        (service, families) -> {
          String text = byService.getOrDefault(service, "");
          for (String family : families) {
            Matcher wanted = REQUIRED_FAMILY.matcher(family);
            assertThat(wanted.matches()).as(family).isTrue();
            List<String> labels =
                wanted.group(2) == null ? List.of() : List.of(wanted.group(2).split(","));
            boolean found = false;
            for (String line : text.split("\n")) {
              Matcher sample = SAMPLE.matcher(line);
              if (!line.startsWith("#")
                  && sample.matches()
                  && sample.group(1).equals(wanted.group(1))
                  && labels.stream()
                      .allMatch(
                          l -> sample.group(3) != null && sample.group(3).contains(l + "=\""))) {
                found = true;
                break;
              }
            }
            if (!found) {
              missing.add(service + ": " + family);
            }
          }
        });
    return missing;
  }

  @Test
  void everyMetricAnAlertOrAPanelReadsExists() throws Exception {
    // a connect and its first sync, so metrics registered on first use exist even when this class
    // runs alone or after instances were restarted
    SystemClient.connect(
        SystemClient.userToken("metrics-" + java.util.UUID.randomUUID()),
        SystemClient.newGoogleAccount());
    Set<String> exported = new HashSet<>();
    for (String text : scrapes().values()) {
      for (String line : text.split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (!line.startsWith("#") && sample.matches()) {
          exported.add(sample.group(1));
        }
      }
    }
    Set<String> panels = new TreeSet<>();
    for (String expr : panelExpressions()) {
      Matcher metric = RULE_METRIC.matcher(expr);
      while (metric.find()) {
        panels.add(metric.group(1));
      }
    }
    assertThat(exported).as("metrics Grafana panels read").containsAll(panels);
    Path rules = settings().repositoryRoot().resolve("deploy/prometheus/rules/calsync-alerts.yml");
    Set<String> used = new TreeSet<>();
    int exprIndent = -1; // the indentation of the "expr:" key whose lines are being read
    for (String line : Files.readAllLines(rules)) {
      int indent = line.length() - line.stripLeading().length();
      if (line.stripLeading().startsWith("expr:")) {
        exprIndent = indent;
      } else if (exprIndent >= 0 && (line.isBlank() || indent <= exprIndent)) {
        exprIndent = -1;
      }
      if (exprIndent >= 0) {
        Matcher metric = RULE_METRIC.matcher(line);
        while (metric.find()) {
          used.add(metric.group(1));
        }
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(exported).containsAll(used);
  }

  /** The {@code expr} of every panel target of every dashboard, if dashboards exist. */
  private static List<String> panelExpressions() throws IOException {
    Path dashboards = settings().repositoryRoot().resolve("deploy/grafana/dashboards");
    List<String> expressions = new ArrayList<>();
    if (!Files.isDirectory(dashboards)) {
      return expressions;
    }
    try (Stream<Path> files = Files.list(dashboards)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        collectExpressions(SystemClient.JSON.readTree(file.toFile()), expressions);
      }
    }
    return expressions;
  }

  private static void collectExpressions(JsonNode node, List<String> into) {
    if (node.isObject()) {
      JsonNode expr = node.get("expr");
      if (expr != null && expr.isString()) {
        into.add(expr.asString());
      }
    }
    node.forEach(child -> collectExpressions(child, into));
  }

  /** Each instance's {@code /actuator/prometheus}, by instance name. */
  private static Map<String, String> scrapes() throws Exception {
    Map<String, String> scrapes = new HashMap<>();
    for (LocalStackSettings.Lane lane : settings().lanes()) {
      LocalStackSettings.ManagementPorts ports = lane.managementPorts();
      Map<String, Integer> services =
          Map.of(
              "gateway", ports.gateway(),
              "oauth-service", ports.oauth(),
              "sync-service", ports.sync(),
              "events-query-service", ports.query());
      for (Map.Entry<String, Integer> service : services.entrySet()) {
        var answer = get("http://localhost:" + service.getValue() + "/actuator/prometheus", null);
        assertThat(answer.statusCode()).as(service.getKey()).isEqualTo(200);
        scrapes.put(lane.instance(service.getKey()), answer.body());
      }
    }
    return scrapes;
  }
}
