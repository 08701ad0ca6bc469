package io.calsync.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * One Kafka node (KRaft, broker and controller in one process) as a child JVM, from the Kafka
 * server classes on this module's classpath, logging to {@code <work>/logs/kafka.log}. Its ports
 * and data directory are chosen once, so it can be {@linkplain #stop() stopped} and {@linkplain
 * #start() started} again with its topics and committed offsets, as a real broker restarts.
 */
final class KafkaProcess implements AutoCloseable {

  private static final String MAIN_CLASS = "kafka.Kafka";
  private static final Duration STARTUP = Duration.ofMinutes(2);
  private static final Duration SHUTDOWN = Duration.ofSeconds(60);

  private final Path config;
  private final Path log;
  private final int port;
  private Process process;

  private KafkaProcess(Path config, Path log, int port) {
    this.config = config;
    this.log = log;
    this.port = port;
  }

  /**
   * A node with an empty, formatted data directory under {@code <work>/kafka} (whatever an earlier
   * run left there is removed) on two free ports: clients' and the controller's. Not started yet.
   */
  static KafkaProcess create(Path workDirectory) throws IOException {
    Path home = workDirectory.resolve("kafka");
    deleteRecursively(home);
    Path data = Files.createDirectories(home.resolve("data"));
    Path logs = Files.createDirectories(workDirectory.resolve("logs"));
    int port = freePort();
    int controllerPort = freePort();
    Path config = home.resolve("server.properties");
    Files.writeString(config, properties(data, port, controllerPort));
    format(config);
    Path log = logs.resolve("kafka.log");
    Files.deleteIfExists(log);
    return new KafkaProcess(config, log, port);
  }

  private static String properties(Path data, int port, int controllerPort) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@localhost:" + controllerPort,
        "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
        "advertised.listeners=PLAINTEXT://localhost:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=3",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=5",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=5",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "");
  }

  /** {@code kafka-storage.sh format}: KRaft refuses to start on an unformatted directory. */
  private static void format(Path config) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status =
          kafka.tools.StorageTool.execute(
              new String[] {
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                config.toString()
              },
              out);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "Formatting Kafka's storage failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  /** The running node's process id. */
  synchronized long pid() {
    return process.pid();
  }

  /** Starts the node (again) and waits until it accepts clients. */
  synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("Kafka is already running");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.security.egd=file:/dev/./urandom"));
    command.addAll(mainClassOnThisClasspath());
    command.add(config.toString());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitListening();
  }

  /**
   * {@code kafka.Kafka} on the classpath this JVM runs with: the test run's, or, in the executable
   * jar, Spring Boot's launcher reading the jar's nested libraries.
   */
  private static List<String> mainClassOnThisClasspath() {
    String classpath = System.getProperty("java.class.path");
    if (KafkaProcess.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
      return List.of("-cp", classpath, MAIN_CLASS);
    }
    return List.of(
        "-cp",
        classpath,
        "-Dloader.main=" + MAIN_CLASS,
        "org.springframework.boot.loader.launch.PropertiesLauncher");
  }

  private void awaitListening() throws InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Kafka exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("localhost", port), 500);
        return;
      } catch (IOException notYetListening) {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("Kafka did not listen within " + STARTUP + "; see " + log);
  }

  /** Creates topics (waiting for the node to accept them), as an operator's admin client does. */
  void createTopics(NewTopic... topics) throws InterruptedException, ExecutionException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(List.of(topics)).all().get();
    }
  }

  /**
   * Stops the node as an operator would ({@code SIGTERM}: a controlled shutdown that keeps every
   * acknowledged record), and waits for it to exit; {@code SIGKILL} if it does not within a minute.
   */
  synchronized void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "Kafka on " + bootstrapServers();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
