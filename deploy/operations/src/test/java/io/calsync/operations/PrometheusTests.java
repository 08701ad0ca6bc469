package io.calsync.operations;

import static io.calsync.operations.Manifests.ROOT;
import static io.calsync.operations.Manifests.listAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus configuration and alert rules in deploy/prometheus: valid for {@code promtool},
 * every alert unit-tested to fire ({@code promtool test rules}), and every alert with a runbook.
 * Where promtool is missing the promtool checks say they were skipped ({@code .ci/run} installs
 * Debian's {@code prometheus}).
 */
class PrometheusTests {

  private static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");
  private static final Path RULES = PROMETHEUS.resolve("rules/calsync-alerts.yml");
  private static final Path RULE_TESTS = PROMETHEUS.resolve("rules/calsync-alerts.test.yml");

  @Test
  void promtoolAcceptsTheConfigurationAndTheRules() throws Exception {
    assertThat(promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString()))
        .contains("SUCCESS");
    assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");
  }

  @Test
  void everyAlertFiresInItsUnitTests() throws Exception {
    assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");

    Set<String> firing = new HashSet<>();
    for (Map<String, Object> test : listAt(document(RULE_TESTS), "tests")) {
      for (Map<String, Object> check : listAt(test, "alert_rule_test")) {
        if (!listAt(check, "exp_alerts").isEmpty()) {
          firing.add((String) check.get("alertname"));
        }
      }
    }
    assertThat(firing).containsAll(alerts().keySet());
  }

  @Test
  void everyAlertSaysWhatItMeansAndWhatToDo() throws IOException {
    assertThat(alerts()).isNotEmpty();
    alerts()
        .forEach(
            (name, rule) -> {
              Object runbook = Manifests.at(rule, "annotations", "runbook");
              assertThat(runbook).as(name).isInstanceOf(String.class);
              assertThat(((String) runbook).length()).as(name + " runbook").isGreaterThan(80);
              assertThat(Manifests.at(rule, "annotations", "summary")).as(name).isNotNull();
              assertThat(Manifests.at(rule, "labels", "severity")).as(name).isIn("page", "ticket");
            });
  }

  static Map<String, Map<String, Object>> alerts() throws IOException {
    Map<String, Map<String, Object>> alerts = new java.util.TreeMap<>();
    for (Map<String, Object> group : listAt(document(RULES), "groups")) {
      for (Map<String, Object> rule : listAt(group, "rules")) {
        if (rule.get("alert") != null) {
          alerts.put((String) rule.get("alert"), rule);
        }
      }
    }
    return alerts;
  }

  private static Map<String, Object> document(Path file) throws IOException {
    List<Map<String, Object>> documents = Manifests.documents(Files.readString(file));
    return documents.get(0);
  }

  static String promtool(String... arguments) throws IOException, InterruptedException {
    assumeTrue(
        Manifests.toolPresent("promtool", "--version"),
        "promtool is not installed: the Prometheus rules were not checked (CI installs Debian's"
            + " prometheus)");
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
