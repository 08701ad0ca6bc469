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
  private final int port;
  private final int managementPort;
  private final Path log;
  private final Process process;

  private ServiceProcess(String name, int port, int managementPort, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.managementPort = managementPort;
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
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new ServiceProcess(name, port, managementPort, log, builder.start());
  }

  String name() {
    return name;
  }

  int port() {
    return port;
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
