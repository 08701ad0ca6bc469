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

  private final String name;
  private final Path jar;
  private final int port;
  private final int managementPort;
  private final Map<String, String> env;
  private final Path workDirectory;
  private final Path log;
  private final Process process;

  private ServiceProcess(
      String name,
      Path jar,
      int port,
      int managementPort,
      Map<String, String> env,
      Path workDirectory,
      Path log,
      Process process) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.managementPort = managementPort;
    this.env = Map.copyOf(env);
    this.workDirectory = workDirectory;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code <repositoryRoot>/<module>/target/<artifactId>-<version>-exec.jar} with the given
   * environment added to this process's own.
   */
  static ServiceProcess start(
      String name,
      Path jar,
      int port,
      int managementPort,
      Map<String, String> env,
      Path workDirectory)
      throws IOException {
    return launch(name, jar, port, managementPort, env, workDirectory, false);
  }

  /**
   * The same service started again from the same jar with the same environment and ports (after
   * {@link #kill} or {@link #close}); its output goes on at the end of the same log file.
   */
  ServiceProcess startAgain() throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    return launch(name, jar, port, managementPort, env, workDirectory, true);
  }

  private static ServiceProcess launch(
      String name,
      Path jar,
      int port,
      int managementPort,
      Map<String, String> env,
      Path workDirectory,
      boolean append)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Missing " + jar + ": build first with ./mvnw -B -DskipTests install");
    }
    Path logs = Files.createDirectories(workDirectory.resolve("logs"));
    Path log = logs.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Djava.security.egd=file:/dev/./urandom",
            "-jar",
            jar.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                append
                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(env);
    return new ServiceProcess(
        name, jar, port, managementPort, env, workDirectory, log, builder.start());
  }

  String name() {
    return name;
  }

  int port() {
    return port;
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
    URI readiness = URI.create("http://localhost:" + managementPort + "/actuator/health/readiness");
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
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
        name + " was not ready within " + timeout + "; last lines of " + log + ":\n" + tail());
  }

  /**
   * Kills the JVM without letting it stop: {@link Process#destroyForcibly()} is {@code SIGKILL} on
   * Linux (no shutdown hook, no graceful shutdown, nothing flushed or committed). Answers the exit
   * status, {@code 137} (128 + 9) for a JVM killed by {@code SIGKILL}.
   */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not die within 30 s of SIGKILL");
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
