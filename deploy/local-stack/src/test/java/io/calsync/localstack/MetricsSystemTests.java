package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.settings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scrapes every service instance of the running stack after the other system tests made it work: no
 * label carries a user, connection, calendar or event id, an e-mail address or another unbounded
 * value, no family has more than {@link #MAX_SERIES} series per instance, and every metric an alert
 * rule (deploy/prometheus/rules) reads exists.
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

  @Test
  void everyMetricAnAlertReadsExists() throws Exception {
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
