package io.calsync.localstack;

import io.gatling.app.Gatling$;
import io.gatling.charts.stats.LogFileData;
import io.gatling.charts.stats.LogFileReader;
import io.gatling.core.config.GatlingConfiguration$;
import io.gatling.shared.model.assertion.AssertionResult;
import io.gatling.shared.model.assertion.AssertionValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs {@link UpcomingLoadSimulation} with Gatling in this JVM and reads its statistics back. Each
 * run writes its results (the binary {@code simulation.log} and the HTML report) under {@code
 * target/gatling/<label>}. Gatling 3.15 writes no JSON statistics any more; its figures are read as
 * Gatling itself checks a simulation's assertions: its {@code LogFileReader} parses the run's log
 * and its {@code AssertionValidator} resolves each assertion of the simulation to the value
 * measured. Settings in {@code src/test/resources/gatling.conf} (no analytics, no warm-up call to
 * the internet, a 10 s request timeout).
 */
final class GatlingLoad {

  private static final Path RESULTS = Path.of("target", "gatling");

  private GatlingLoad() {}

  /** What one run measured: requests, failed ones (KO), percentiles in ms, mean req/s. */
  record Result(long requests, long errors, double p50, double p95, double p99, double perSecond) {}

  static synchronized Result run(String label, UpcomingLoadSimulation.Plan plan) {
    UpcomingLoadSimulation.plan = plan;
    Path results = RESULTS.resolve(label).toAbsolutePath();
    int status =
        Gatling$.MODULE$.fromArgs(
            new String[] {
              "-s",
              UpcomingLoadSimulation.class.getName(),
              "-rf",
              results.toString(),
              "-rd",
              label,
              "-l",
              "benchmark"
            });
    if (status != 0) {
      throw new IllegalStateException("Gatling ended with status " + status + " for " + label);
    }
    return read(results);
  }

  private static Result read(Path results) {
    String runId = lastRun(results);
    LogFileData data =
        LogFileReader.apply(runId, results, GatlingConfiguration$.MODULE$.load()).read();
    List<AssertionResult> resolved =
        CollectionConverters.asJava(
            new AssertionValidator(data).validateAssertions(data.assertions()));
    if (resolved.size() != UpcomingLoadSimulation.STATISTICS.size()) {
      throw new IllegalStateException("Gatling resolved " + resolved + " in " + runId);
    }
    double[] values = new double[resolved.size()];
    for (int i = 0; i < values.length; i++) {
      if (!(resolved.get(i) instanceof AssertionResult.Resolved value)) {
        throw new IllegalStateException("Gatling could not resolve " + resolved.get(i));
      }
      values[i] = value.actualValue();
    }
    return new Result(
        (long) values[0], (long) values[1], values[2], values[3], values[4], values[5]);
  }

  /** The run's directory name (Gatling's run id): the newest under {@code results}. */
  private static String lastRun(Path results) {
    try (Stream<Path> runs = Files.list(results)) {
      return runs.filter(Files::isDirectory)
          .map(run -> run.getFileName().toString())
          .max(String::compareTo)
          .orElseThrow(() -> new IllegalStateException("no Gatling run in " + results));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
