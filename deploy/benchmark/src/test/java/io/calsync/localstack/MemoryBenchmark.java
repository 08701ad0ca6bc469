package io.calsync.localstack;

import static io.calsync.localstack.BenchmarkReport.figure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Memory after the load, last of the suite: each service instance's resident set ({@code VmRSS} of
 * {@code /proc/<pid>/status}) and heap (used, committed and max, summed over the heap pools of its
 * Prometheus metrics {@code jvm_memory_*_bytes{area="heap"}}), Kafka's resident set, PostgreSQL's
 * (the postmaster and its backends, by proportional set size, as they share their buffers), and the
 * platform's total.
 */
@Order(90)
@ExtendWith(SystemStack.class)
class MemoryBenchmark {

  private static final double MIB = 1024.0 * 1024;

  @Test
  void residentSizeAndHeapAfterTheLoad() throws Exception {
    Map<String, Long> pids = SystemStack.stack().processIds();
    Map<String, Integer> management = managementPorts();
    BenchmarkReport.Table table =
        BenchmarkReport.Table.of(
            "process",
            "pid",
            "resident MiB",
            "heap used MiB",
            "heap committed MiB",
            "heap max MiB");
    long total = 0;
    for (Map.Entry<String, Long> process : pids.entrySet()) {
      String name = process.getKey();
      long pid = process.getValue();
      if (name.equals("postgresql")) {
        continue;
      }
      long resident = status(pid, "VmRSS:");
      assertThat(resident).as("resident size of %s", name).isPositive();
      total += resident;
      Integer port = management.get(name);
      if (port == null) {
        table.row(name, pid, mib(resident), "–", "–", "–");
        continue;
      }
      String metrics =
          SystemClient.get("http://localhost:" + port + "/actuator/prometheus", null).body();
      table.row(
          name,
          pid,
          mib(resident),
          mib(heap(metrics, "jvm_memory_used_bytes")),
          mib(heap(metrics, "jvm_memory_committed_bytes")),
          mib(heap(metrics, "jvm_memory_max_bytes")));
    }
    long postmaster = pids.get("postgresql");
    List<Long> postgres = new ArrayList<>(children(postmaster));
    postgres.add(postmaster);
    long proportional = 0;
    long resident = 0;
    for (long pid : postgres) {
      proportional += rollup(pid, "Pss:");
      resident += status(pid, "VmRSS:");
    }
    total += proportional;
    table.row(
        "postgresql (" + postgres.size() + " processes, PSS)",
        postmaster,
        mib(proportional),
        "–",
        "–",
        "–");
    table.row("**platform**", "", "**" + mib(total) + "**", "", "", "");
    BenchmarkReport.section(
        "Memory after the load",
        "Each process of the platform after the stages before: its resident set (`VmRSS`), and for "
            + "each service its heap from its Prometheus metrics (sums over the heap pools).",
        table,
        "PostgreSQL counts its postmaster and backends by proportional set size (`Pss` of "
            + "`smaps_rollup`), as they share their buffers: their plain RSS adds up to "
            + mib(resident)
            + " MiB. Kafka's heap has no metrics endpoint. Not counted: the benchmark's own JVM, "
            + "which also runs the Google emulator, the OIDC issuer and Gatling.");
  }

  /** Each service instance's management port, by the local stack's instance name. */
  private static Map<String, Integer> managementPorts() {
    Map<String, Integer> ports = new HashMap<>();
    for (LocalStackSettings.Lane lane : SystemClient.settings().lanes()) {
      LocalStackSettings.ManagementPorts management = lane.managementPorts();
      ports.put(lane.instance("gateway"), management.gateway());
      ports.put(lane.instance("oauth-service"), management.oauth());
      ports.put(lane.instance("sync-service"), management.sync());
      ports.put(lane.instance("events-query-service"), management.query());
    }
    return ports;
  }

  /** The sum of {@code metric}'s heap series, in bytes; pools without a limit (-1) count none. */
  private static long heap(String metrics, String metric) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(metric + "{") && line.contains("area=\"heap\"")) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        sum += Math.max(0, value);
      }
    }
    return (long) sum;
  }

  /** A {@code kB} field of {@code /proc/<pid>/status}, in bytes. */
  private static long status(long pid, String field) throws IOException {
    return kilobytes(Path.of("/proc", String.valueOf(pid), "status"), field);
  }

  /** A {@code kB} field of {@code /proc/<pid>/smaps_rollup}, in bytes. */
  private static long rollup(long pid, String field) throws IOException {
    return kilobytes(Path.of("/proc", String.valueOf(pid), "smaps_rollup"), field);
  }

  private static long kilobytes(Path file, String field) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines
              .filter(line -> line.startsWith(field))
              .mapToLong(
                  line -> Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no " + field + " in " + file))
          * 1024;
    }
  }

  /** The processes whose parent is {@code parent} ({@code /proc/<pid>/stat}, field 4). */
  private static List<Long> children(long parent) throws IOException {
    List<Long> children = new ArrayList<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process :
          processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(process.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(fields[1]) == parent) {
            children.add(Long.parseLong(process.getFileName().toString()));
          }
        } catch (IOException gone) {
          // the process ended while the list was read
        }
      }
    }
    return children;
  }

  private static String mib(long bytes) {
    return figure(bytes / MIB);
  }
}
