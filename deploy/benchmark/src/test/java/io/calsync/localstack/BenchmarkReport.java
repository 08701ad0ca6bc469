package io.calsync.localstack;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Markdown report of one benchmark run ({@code benchmark.report}, by default {@code
 * target/benchmark-report.md}): a header with the machine, the date and the configuration, written
 * when the first stage reports, then one section per stage in the order they ran. Each section is
 * appended (and logged) as soon as its stage ends, so a run stopped halfway keeps what it measured.
 */
final class BenchmarkReport {

  private static final Logger log = LoggerFactory.getLogger(BenchmarkReport.class);

  private static final Path FILE =
      Path.of(System.getProperty("benchmark.report", "target/benchmark-report.md"));

  private static boolean started;

  private BenchmarkReport() {}

  /** The share of the full size the stages run at ({@code BENCHMARK_SCALE}, default 1). */
  static double scale() {
    return Double.parseDouble(System.getProperty("benchmark.scale", "1.0"));
  }

  /** {@code full} scaled by {@link #scale()}, at least {@code min}. */
  static int scaled(int full, int min) {
    return Math.max(min, (int) Math.round(full * scale()));
  }

  /** Appends one stage's section: a heading, a sentence on what was measured, a table, notes. */
  static synchronized void section(String title, String what, Table table, String... notes) {
    StringBuilder text = new StringBuilder();
    text.append("## ").append(title).append("\n\n").append(what).append("\n\n");
    text.append(table.markdown()).append('\n');
    for (String note : notes) {
      text.append(note).append("\n\n");
    }
    write(text.toString());
  }

  private static void write(String text) {
    try {
      if (!started) {
        Files.createDirectories(FILE.toAbsolutePath().getParent());
        Files.writeString(FILE, header());
        started = true;
      }
      Files.writeString(FILE, text, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.info("\n{}", text);
  }

  private static String header() {
    OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    return "# Benchmark report\n\n"
        + Table.of("", "")
            .row(
                "date",
                OffsetDateTime.now(ZoneOffset.UTC)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .row("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores")
            .row("memory", gib(os.getTotalMemorySize()) + " GiB")
            .row(
                "jdk",
                System.getProperty("java.vm.vendor")
                    + " "
                    + System.getProperty("java.vm.name")
                    + " "
                    + System.getProperty("java.version"))
            .row("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
            .row("scale", scale() + " of the issue's sizes")
            .row(
                "configuration",
                SystemStack.INSTANCES
                    + " instances of each service, one Kafka broker, one PostgreSQL, the Google"
                    + " emulator; everything on this machine")
            .markdown()
        + "\n";
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown cpu");
    } catch (IOException e) {
      return "unknown cpu";
    }
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024 * 1024));
  }

  /** A Markdown table, built row by row; cells are written as given. */
  static final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
      this.header = header;
    }

    static Table of(String... header) {
      return new Table(List.of(header));
    }

    Table row(Object... cells) {
      if (cells.length != header.size()) {
        throw new IllegalArgumentException(
            "a row of " + cells.length + " cells in a table of " + header.size());
      }
      rows.add(Stream.of(cells).map(String::valueOf).toList());
      return this;
    }

    String markdown() {
      StringBuilder text = new StringBuilder();
      line(text, header);
      line(text, header.stream().map(h -> "---").toList());
      rows.forEach(row -> line(text, row));
      return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells) {
      text.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
  }

  /** Formats a rate or a duration for the report: no more digits than the measurement has. */
  static String figure(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return value >= 10
        ? String.format(Locale.ROOT, "%.1f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }
}
