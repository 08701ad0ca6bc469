package io.calsync.localstack;

import io.calsync.contract.kafka.Topics;
import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.GoogleEmulator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform on one machine with no Docker: embedded PostgreSQL, a Kafka (KRaft) node as a
 * child JVM, the development OIDC issuer, the Google emulator seeded with a demo account, and the
 * four services as child JVMs. {@code deploy/local/run.sh} builds the jars and runs {@link #main};
 * Ctrl-C stops everything.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final String DEMO_ACCOUNT = "demo@example.com";
  static final List<String> DATABASES = List.of("oauth", "sync", "events");

  private final LocalStackSettings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();
  private String kafkaBootstrapServers;
  private EmbeddedPostgres postgres;
  private KafkaProcess kafka;

  LocalStack(LocalStackSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    LocalStack stack = new LocalStack(LocalStackSettings.from(System.getenv(), root));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("Stopping the local stack...");
                  stack.close();
                  stopped.countDown();
                },
                "local-stack-shutdown"));
    try {
      stack.start();
    } catch (Exception e) {
      log.error("The local stack could not start: {}", e.getMessage());
      System.exit(1);
    }
    log.info(stack.banner());
    stopped.await();
  }

  /** Starts every part in dependency order; on failure, what started is stopped again. */
  void start() throws Exception {
    try {
      Files.createDirectories(settings.workDirectory());
      startPostgres();
      startKafka();
      started.push(DevIssuer.start(settings.oidcPort()));
      log.info("OIDC issuer on {}", settings.issuerUri());
      GoogleEmulator emulator =
          GoogleEmulator.start(
              EmulatorOptions.defaults()
                  .withPort(settings.emulatorPort())
                  .withRedirectUris(settings.redirectUri()));
      started.push(emulator);
      log.info("Google emulator on {}", emulator.baseUrl());
      new DemoCalendar(emulator.baseUrl()).seed(DEMO_ACCOUNT);
      log.info("Seeded {} with two weeks of events", DEMO_ACCOUNT);
      startServices();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /**
   * Starts PostgreSQL: the first time on a new data directory under the work directory, with the
   * platform's databases; after {@link #stopPostgres()}, again on the same directory and port, with
   * its data.
   */
  synchronized void startPostgres() throws IOException, SQLException {
    Path data = settings.workDirectory().resolve("postgres");
    boolean fresh = postgres == null;
    if (fresh) {
      KafkaProcess.deleteRecursively(data);
      started.push(this::stopPostgres);
    }
    postgres =
        EmbeddedPostgres.builder()
            .setPort(settings.postgresPort())
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .start();
    if (fresh) {
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        for (String database : DATABASES) {
          statement.execute("CREATE DATABASE " + database);
        }
      }
    }
    log.info("PostgreSQL on localhost:{} (databases {})", settings.postgresPort(), DATABASES);
  }

  /**
   * Stops PostgreSQL ({@code pg_ctl stop -m fast}), keeping its data for {@link #startPostgres}.
   */
  synchronized void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * Starts the Kafka node: the first time formatted afresh with the platform's topics; after {@link
   * #stopKafka()}, again on the same port and data, so topics and committed offsets survive.
   */
  synchronized void startKafka() throws IOException, InterruptedException, ExecutionException {
    if (kafka != null) {
      kafka.start();
      log.info("Kafka on {} again", kafkaBootstrapServers);
      return;
    }
    kafka = KafkaProcess.create(settings.workDirectory());
    started.push(kafka);
    kafka.start();
    kafkaBootstrapServers = kafka.bootstrapServers();
    kafka.createTopics(
        new NewTopic(Topics.CONNECTIONS, 3, (short) 1),
        new NewTopic(Topics.deadLetter(Topics.CONNECTIONS), 3, (short) 1),
        new NewTopic(Topics.EVENT_CHANGES, 3, (short) 1),
        new NewTopic(Topics.deadLetter(Topics.EVENT_CHANGES), 3, (short) 1));
    log.info("Kafka on {}", kafkaBootstrapServers);
  }

  /** Stops the Kafka node ({@code SIGTERM}, a controlled shutdown), keeping its data. */
  synchronized void stopKafka() {
    kafka.stop();
  }

  /**
   * Starts every lane's four services at once (they wait for each other's readiness on their own)
   * and waits until each is ready.
   */
  private void startServices() throws IOException, InterruptedException {
    List<ServiceProcess> processes = new ArrayList<>();
    for (LocalStackSettings.Lane lane : settings.lanes()) {
      Map<String, String> env = serviceEnvironment(lane);
      LocalStackSettings.ManagementPorts management = lane.managementPorts();
      processes.add(
          service(lane, "oauth-service", lane.oauthPort(), management.oauth(), env, "oauth"));
      processes.add(service(lane, "sync-service", lane.syncPort(), management.sync(), env, "sync"));
      processes.add(
          service(
              lane, "events-query-service", lane.queryPort(), management.query(), env, "events"));
      processes.add(service(lane, "gateway", lane.gatewayPort(), management.gateway(), env, null));
    }
    for (ServiceProcess service : processes) {
      service.awaitReady(Duration.ofMinutes(4));
      log.info("{} ready on http://localhost:{}", service.name(), service.port());
    }
  }

  private ServiceProcess service(
      LocalStackSettings.Lane lane,
      String module,
      int port,
      int managementPort,
      Map<String, String> common,
      String database)
      throws IOException {
    Map<String, String> env = new HashMap<>(common);
    if (database != null) {
      env.put("DB_NAME", database);
    }
    Path jar =
        settings
            .repositoryRoot()
            .resolve(module)
            .resolve("target")
            .resolve(module + "-" + VERSION + "-exec.jar");
    String name = lane.instance(module);
    ServiceProcess process =
        ServiceProcess.start(
            new ServiceProcess.Spec(
                name,
                jar,
                port,
                managementPort,
                env,
                settings.workDirectory(),
                settings.serviceJvmOptions()));
    started.push(process);
    services.put(name, process);
    return process;
  }

  /** Every instance of a service, lane by lane: {@code sync-service}, {@code sync-service-2}, …. */
  List<String> instancesOf(String service) {
    return settings.lanes().stream().map(lane -> lane.instance(service)).toList();
  }

  /**
   * Kills the named service with {@code SIGKILL} (the fault suite's {@code kill -9}); answers its
   * exit status.
   */
  synchronized int kill(String name) throws InterruptedException {
    return running(name).kill();
  }

  /** Stops the named service gracefully ({@code SIGTERM}, as at the stack's end). */
  synchronized void stop(String name) {
    running(name).close();
  }

  /**
   * Starts a killed or stopped service again with the same environment and ports, and waits for its
   * readiness as at start.
   */
  void restart(String name) throws IOException, InterruptedException {
    ServiceProcess again;
    synchronized (this) {
      again = running(name).startAgain();
      started.push(again);
      services.put(name, again);
    }
    again.awaitReady(Duration.ofMinutes(4));
    log.info("{} ready again on http://localhost:{}", name, again.port());
  }

  private ServiceProcess running(String name) {
    ServiceProcess process = services.get(name);
    if (process == null) {
      throw new IllegalArgumentException("no service named " + name);
    }
    return process;
  }

  /**
   * The environment every service of a lane gets; each reads only what it needs. A lane's services
   * call each other; every lane has lane 1's gateway as the platform's public address (the OAuth
   * redirect, the web origin, the push address), as instances behind one load balancer would.
   */
  Map<String, String> serviceEnvironment(LocalStackSettings.Lane lane) {
    Map<String, String> env = new HashMap<>();
    env.put("GATEWAY_PORT", String.valueOf(lane.gatewayPort()));
    env.put("OAUTH_SERVICE_PORT", String.valueOf(lane.oauthPort()));
    env.put("SYNC_SERVICE_PORT", String.valueOf(lane.syncPort()));
    env.put("QUERY_SERVICE_PORT", String.valueOf(lane.queryPort()));
    LocalStackSettings.ManagementPorts management = lane.managementPorts();
    env.put("GATEWAY_MANAGEMENT_PORT", String.valueOf(management.gateway()));
    env.put("OAUTH_MANAGEMENT_PORT", String.valueOf(management.oauth()));
    env.put("SYNC_MANAGEMENT_PORT", String.valueOf(management.sync()));
    env.put("QUERY_MANAGEMENT_PORT", String.valueOf(management.query()));
    env.put("OAUTH_SERVICE_URL", "http://localhost:" + lane.oauthPort());
    env.put("SYNC_SERVICE_URL", "http://localhost:" + lane.syncPort());
    env.put("QUERY_SERVICE_URL", "http://localhost:" + lane.queryPort());
    // the instance named in the owner of the sync leases it holds (fault suite: who holds what)
    env.put("SYNC_INSTANCE_NAME", lane.instance("sync-service"));
    if (settings.lanes().size() > 1) {
      // one read-model consumer per query instance, so the partitions spread over the instances
      // (with one per partition on each, the range assignor may give one instance all of them)
      env.put("CALSYNC_QUERY_READ_MODEL_CONCURRENCY", "1");
    }
    // the gateway's line per routed request, in its trace (off by default: root README, Tracing)
    env.put("LOGGING_LEVEL_IO_CALSYNC_GATEWAY_ROUTED", "DEBUG");
    env.put("WEB_BASE_URL", settings.gatewayUrl());
    env.put("WEB_ALLOWED_ORIGINS", settings.gatewayUrl());
    env.put("OIDC_ISSUER_URI", settings.issuerUri());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
    env.put("DB_HOST", "localhost");
    env.put("DB_PORT", String.valueOf(settings.postgresPort()));
    env.put("DB_USERNAME", "postgres");
    env.put("DB_PASSWORD", "postgres");
    env.putAll(googleEndpoints(realGoogle() ? null : settings.emulatorUrl()));
    env.put("GOOGLE_REDIRECT_URI", settings.redirectUri());
    env.put("TOKEN_KEY_FILE", settings.workDirectory().resolve("oauth-token.key").toString());
    String tokenKey = System.getenv("TOKEN_ENCRYPTION_KEY");
    if (tokenKey == null || tokenKey.isBlank()) {
      // oauth-service refuses to start without a key or Vault; the local stack asks for a
      // development key.
      env.put("TOKEN_GENERATE_DEV_KEY", "true");
    }
    if (settings.webhookBaseUrl() != null) {
      env.put("PUBLIC_WEBHOOK_BASE_URL", settings.webhookBaseUrl());
    } else if (!realGoogle()) {
      // The emulator reaches the gateway as Google reaches a public address, so push works locally:
      // a change at the emulator arrives within seconds, without "Sync now" or the backstop.
      env.put("PUBLIC_WEBHOOK_BASE_URL", settings.gatewayUrl());
    }
    // Explicit settings from the environment win over the defaults above.
    for (String name :
        List.of(
            "GOOGLE_CLIENT_ID",
            "GOOGLE_CLIENT_SECRET",
            "GOOGLE_AUTHORIZATION_URI",
            "GOOGLE_TOKEN_URI",
            "GOOGLE_REVOKE_URI",
            "GOOGLE_USERINFO_URI",
            "GOOGLE_CALENDAR_ROOT_URL",
            "TOKEN_ENCRYPTION_KEY",
            "VAULT_ENABLED",
            "VAULT_URI",
            "VAULT_TOKEN")) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        env.put(name, value);
      }
    }
    return env;
  }

  /**
   * The stack's own processes by name, with their process ids: every service instance ({@link
   * #instancesOf}), {@code kafka}, and {@code postgresql} (the postmaster, whose backends are its
   * children), for the benchmark's memory table.
   */
  synchronized Map<String, Long> processIds() throws IOException {
    Map<String, Long> pids = new TreeMap<>();
    services.forEach((name, process) -> pids.put(name, process.pid()));
    pids.put("kafka", kafka.pid());
    // PostgreSQL's first line of postmaster.pid is the postmaster's process id
    Path postmaster = settings.workDirectory().resolve("postgres").resolve("postmaster.pid");
    pids.put("postgresql", Long.parseLong(Files.readAllLines(postmaster).get(0).trim()));
    return pids;
  }

  /** The running broker's address, for downstream consumers. */
  String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  /**
   * Real Google client credentials in the environment switch OAuth and the Calendar API to Google.
   */
  static boolean realGoogle() {
    String clientId = System.getenv("GOOGLE_CLIENT_ID");
    return clientId != null && !clientId.isBlank();
  }

  /** Google's endpoints, or the emulator's when {@code emulator} is its base URL. */
  static Map<String, String> googleEndpoints(String emulator) {
    if (emulator == null) {
      return Map.of(
          "GOOGLE_AUTHORIZATION_URI", "https://accounts.google.com/o/oauth2/v2/auth",
          "GOOGLE_TOKEN_URI", "https://oauth2.googleapis.com/token",
          "GOOGLE_REVOKE_URI", "https://oauth2.googleapis.com/revoke",
          "GOOGLE_USERINFO_URI", "https://openidconnect.googleapis.com/v1/userinfo",
          "GOOGLE_CALENDAR_ROOT_URL", "https://www.googleapis.com/");
    }
    return Map.of(
        "GOOGLE_AUTHORIZATION_URI", emulator + "/o/oauth2/v2/auth",
        "GOOGLE_TOKEN_URI", emulator + "/token",
        "GOOGLE_REVOKE_URI", emulator + "/revoke",
        "GOOGLE_USERINFO_URI", emulator + "/v1/userinfo",
        "GOOGLE_CALENDAR_ROOT_URL", emulator + "/");
  }

  String banner() {
    return Banner.of(settings, kafkaBootstrapServers);
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", part, e.getMessage());
      }
    }
  }
}
