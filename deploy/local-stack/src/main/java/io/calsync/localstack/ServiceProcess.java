package io.calsync.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One platform service running as a child JVM from its executable jar, logging to a file. */
final class ServiceProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Spec spec;
  private final Path log;
  private final Process process;

  /**
   * What a service runs: its jar, ports, environment (added to this process's own), JVM options.
   */
  record Spec(
      String name,
      Path jar,
      int port,
      int managementPort,
      Map<String, String> env,
      Path workDirectory,
      List<String> jvmOptions) {

    Spec {
      env = Map.copyOf(env);
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  private ServiceProcess(Spec spec, Path log, Process process) {
    this.spec = spec;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code <repositoryRoot>/<module>/target/<artifactId>-<version>-exec.jar}. */
  static ServiceProcess start(Spec spec) throws IOException {
    return launch(spec, false);
  }

  /**
   * The same service started again from the same jar with the same environment and ports (after
   * {@link #kill} or {@link #close}); its output goes on at the end of the same log file.
   */
  ServiceProcess startAgain() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(spec.name() + " is still running");
    }
    return launch(spec, true);
  }

  private static ServiceProcess launch(Spec spec, boolean append) throws IOException {
    Path jar = spec.jar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Missing " + jar + ": build first with ./mvnw -B -DskipTests install");
    }
    Path logs = Files.createDirectories(spec.workDirectory().resolve("logs"));
    Path log = logs.resolve(spec.name() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(spec.jvmOptions());
    command.addAll(List.of("-Djava.security.egd=file:/dev/./urandom", "-jar", jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(spec.workDirectory().toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                append
                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(spec.env());
    return new ServiceProcess(spec, log, builder.start());
  }

  String name() {
    return spec.name();
  }

  int port() {
    return spec.port();
  }

  /** The JVM's process id (the benchmark reads its resident size from {@code /proc}). */
  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * Waits until {@code /actuator/health/readiness} on the management port answers 200, or fails
   * with the log's tail.
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    URI readiness =
        URI.create("http://localhost:" + spec.managementPort() + "/actuator/health/readiness");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name()
                + " exited with "
                + process.exitValue()
                + "; last lines of "
                + log
                + ":\n"
                + tail());
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // still starting
      }
      process.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    throw new IllegalStateException(
        spec.name()
            + " was not ready within "
            + timeout
            + "; last lines of "
            + log
            + ":\n"
            + tail());
  }

  /**
   * Kills the JVM without letting it stop: {@link Process#destroyForcibly()} is {@code SIGKILL} on
   * Linux (no shutdown hook, no graceful shutdown, nothing flushed or committed). Answers the exit
   * status, {@code 137} (128 + 9) for a JVM killed by {@code SIGKILL}.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException(spec.name() + " did not die within 30 s of SIGKILL");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
