package io.calsync.operations;

import static io.calsync.operations.Manifests.ROOT;
import static io.calsync.operations.Manifests.SERVICES;
import static io.calsync.operations.Manifests.at;
import static io.calsync.operations.Manifests.listAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, read as Docker would without running it (CI has no Docker): every setting
 * given to a service built here is one the service reads, every image is built by a module or
 * pinned, every service has a health check, the start is ordered by health, the gateway keeps its
 * sessions in the Redis it waits for, mounted files exist, only the entry points publish ports,
 * Prometheus and Grafana get what they are given, and the services that read Vault get every secret
 * from it (vault-init writes each into their KV path) and none by their environment.
 */
class ComposeFileTests {

  private static final ComposeFile COMPOSE = ComposeFile.read();

  private static final String VAULT_INIT_SCRIPT = "deploy/compose/vault-init.sh";

  /**
   * The secrets each service reads (Spring property names, which are also its Vault KV keys).
   * Kafka's SASL passwords are not among them: compose runs Kafka on PLAINTEXT.
   */
  private static final Map<String, List<String>> SECRETS_READ =
      Map.of(
          "oauth-service", List.of("spring.r2dbc.password", "calsync.google.client-secret"),
          "sync-service", List.of("spring.r2dbc.password", "calsync.token.client-secret"),
          "events-query-service", List.of("spring.r2dbc.password"));

  private static final Path PROMETHEUS_CONFIG =
      ROOT.resolve("deploy/prometheus/prometheus-compose.yml");

  /** What a person reaches: the gateway, Grafana, Prometheus, and where the browser signs in. */
  private static final List<String> ENTRY_POINTS =
      List.of("gateway", "grafana", "prometheus", "oidc", "google-emulator");

  /** A compose file breaking every rule once, to show each check catches what it names. */
  private static final ComposeFile BROKEN =
      ComposeFile.parse(
          """
          services:
            db:
              image: postgres:latest
              volumes: ["./deploy/compose/no-such-file.sh:/init.sh:ro"]
            cache:
              image: redis:7
              healthcheck: {test: ["CMD", "true"]}
            gateway:
              image: calsync/gateway:0.1.0-SNAPSHOT
              environment: {GATEWAY_PORT: "8080", NOT_A_GATEWAY_SETTING: "x"}
              healthcheck: {test: ["CMD", "true"]}
              depends_on: [db]
            sync-service:
              image: calsync/sync-service:0.0.1
              healthcheck: {test: ["CMD", "true"]}
              depends_on:
                db: {condition: service_started}
                kafka: {condition: service_healthy}
          """);

  @Test
  void everyModuleImageIsOneTheComposeFileRuns() {
    Map<String, String> built = ComposeFile.imagesBuiltByModules();
    assertThat(built.values())
        .containsAll(SERVICES)
        .contains("deploy/google-emulator", "deploy/local-stack");
    List<Object> images = COMPOSE.services().values().stream().map(s -> at(s, "image")).toList();
    assertThat(images).containsAll(built.keySet());
  }

  @Test
  void everySettingGivenToAServiceOfOursIsOneItReads() {
    assertThat(COMPOSE.settingsNotRead(ComposeFile.imagesBuiltByModules())).isEmpty();
    for (String service : SERVICES) {
      assertThat(ComposeFile.environment(COMPOSE.services().get(service))).as(service).isNotEmpty();
    }

    assertThat(BROKEN.settingsNotRead(ComposeFile.imagesBuiltByModules()))
        .containsExactly("gateway: NOT_A_GATEWAY_SETTING is not read by gateway");
  }

  @Test
  void everyImageIsBuiltByAModuleOrPinnedByDigestOrExactVersion() {
    assertThat(COMPOSE.unpinnedImages(ComposeFile.imagesBuiltByModules())).isEmpty();

    assertThat(BROKEN.unpinnedImages(ComposeFile.imagesBuiltByModules()))
        .hasSize(3)
        .anyMatch(p -> p.startsWith("db: postgres:latest"))
        .anyMatch(p -> p.startsWith("cache: redis:7"))
        .anyMatch(p -> p.startsWith("sync-service: calsync/sync-service:0.0.1 is no module's"));
  }

  @Test
  void everyServiceHasAHealthCheckButOneShotJobs() {
    assertThat(COMPOSE.withoutHealthCheck()).isEmpty();
    assertThat(COMPOSE.services()).containsKeys("vault-init", "google-emulator-seed");

    assertThat(BROKEN.withoutHealthCheck()).containsExactly("db: no healthcheck");
  }

  @Test
  void everyDependencyWaitsForHealthOrCompletion() {
    assertThat(COMPOSE.unorderedDependencies()).isEmpty();
    for (String service : List.of("oauth-service", "sync-service", "events-query-service")) {
      assertThat(at(COMPOSE.services().get(service), "depends_on"))
          .as(service)
          .asInstanceOf(MAP)
          .containsKeys("postgres", "kafka", "vault-init", "oidc");
    }

    assertThat(BROKEN.unorderedDependencies())
        .containsExactlyInAnyOrder(
            "gateway: depends_on without conditions",
            "sync-service: db with condition service_started",
            "sync-service: depends on unknown kafka");
  }

  @Test
  void theGatewayKeepsItsSessionsInTheRedisItWaitsFor() {
    assertThat(COMPOSE.sessionStoreProblems()).isEmpty();
    Object redis = COMPOSE.services().get("redis");
    assertThat(at(redis, "mem_limit")).as("redis: a memory limit").isNotNull();
    assertThat(ComposeFile.command(redis))
        .as("redis: a snapshot a minute, no append-only file")
        .containsSequence("--save", "60 1")
        .containsSequence("--appendonly", "no");
    // secrets the environment replaces, as the file's passwords
    Map<String, String> gateway = ComposeFile.environmentValues(COMPOSE.services().get("gateway"));
    assertThat(gateway.get("WEB_CLIENT_SECRET")).startsWith("${CALSYNC_WEB_CLIENT_SECRET:-");
    assertThat(gateway.get("REDIS_PASSWORD")).startsWith("${CALSYNC_REDIS_PASSWORD:-");

    assertThat(
            ComposeFile.parse("services: {gateway: {environment: {GATEWAY_PORT: '8080'}}}")
                .sessionStoreProblems())
        .containsExactly("gateway: sessions in memory (the default)");
    assertThat(
            ComposeFile.parse(
                    """
                    services:
                      gateway:
                        environment: {GATEWAY_SESSION_STORE: redis, REDIS_HOST: cache}
                    """)
                .sessionStoreProblems())
        .containsExactly("gateway: REDIS_HOST cache is no service");
    assertThat(
            ComposeFile.parse(
                    """
                    services:
                      cache:
                        image: memcached:1.6.39
                        command: [redis-server, --port, "6380", --requirepass, secret]
                        healthcheck: {test: ["CMD", "true"]}
                      gateway:
                        environment:
                          GATEWAY_SESSION_STORE: redis
                          REDIS_HOST: cache
                          REDIS_PORT: "6379"
                          REDIS_PASSWORD: other
                        depends_on:
                          cache: {condition: service_started}
                    """)
                .sessionStoreProblems())
        .containsExactly(
            "cache: memcached:1.6.39 is not Redis",
            "cache: no health check by redis-cli ping",
            "gateway: does not wait for cache to be healthy",
            "gateway: REDIS_PORT 6379 is not cache's",
            "gateway: REDIS_PASSWORD is not the password cache requires");
  }

  @Test
  void vaultEnabledServicesGetNoSecretByTheirEnvironmentButTheirVaultLogin() {
    assertThat(COMPOSE.vaultEnabledServices())
        .containsExactlyInAnyOrderElementsOf(SECRETS_READ.keySet());
    assertThat(COMPOSE.secretsInTheEnvironmentOfVaultEnabledServices()).isEmpty();
    for (String service : SECRETS_READ.keySet()) {
      assertThat(ComposeFile.environmentValues(COMPOSE.services().get(service)))
          .as(service)
          .doesNotContainKeys("DB_PASSWORD", "GOOGLE_CLIENT_SECRET", "SERVICE_CLIENT_SECRET")
          .hasEntrySatisfying("VAULT_TOKEN", token -> assertThat(token).startsWith("${CALSYNC_"));
    }

    assertThat(
            ComposeFile.parse(
                    """
                    services:
                      oauth-service:
                        environment:
                          VAULT_ENABLED: "true"
                          VAULT_TOKEN: t
                          DB_PASSWORD: p
                          GOOGLE_CLIENT_SECRET: s
                          TOKEN_ENCRYPTION_KEY: k
                          KAFKA_SASL_PASSWORD: k
                          GOOGLE_TOKEN_URI: http://google/token
                      gateway:
                        environment: {WEB_CLIENT_SECRET: s}
                    """)
                .secretsInTheEnvironmentOfVaultEnabledServices())
        .containsExactly(
            "oauth-service: DB_PASSWORD is a secret in its environment",
            "oauth-service: GOOGLE_CLIENT_SECRET is a secret in its environment",
            "oauth-service: TOKEN_ENCRYPTION_KEY is a secret in its environment",
            "oauth-service: KAFKA_SASL_PASSWORD is a secret in its environment");
  }

  @Test
  void vaultInitWritesEverySecretEachServiceReadsIntoItsKvPath() {
    SECRETS_READ.forEach(
        (service, properties) ->
            assertThat(ComposeFile.applicationProperties(service))
                .as(service + "'s application.yml")
                .containsAll(properties));
    String script = script();
    assertThat(ComposeFile.bindSources(COMPOSE.services().get("vault-init")))
        .contains("./" + VAULT_INIT_SCRIPT);
    assertThat(
            COMPOSE.vaultSecretProblems(
                SECRETS_READ, "vault-init", script, ComposeFile::applicationProperties))
        .isEmpty();
    assertThat(ComposeFile.vaultKvPuts(script).keySet())
        .containsExactlyInAnyOrderElementsOf(SECRETS_READ.keySet());

    String broken =
        """
        vault kv put secret/oauth-service spring.r2dbc.password="$OAUTH_DB_PASSWORD" \\
          calsync.google.client-secret="$NOT_GIVEN" >/dev/null
        vault kv put secret/sync-service spring.r2dbc.pasword="$SYNC_DB_PASSWORD" >/dev/null
        """;
    assertThat(
            COMPOSE.vaultSecretProblems(
                SECRETS_READ, "vault-init", broken, ComposeFile::applicationProperties))
        .containsExactly(
            "vault-init: writes no spring.r2dbc.password for events-query-service",
            "vault-init: NOT_GIVEN (oauth-service's calsync.google.client-secret) is not in its"
                + " environment",
            "vault-init: writes no spring.r2dbc.password for sync-service",
            "vault-init: writes no calsync.token.client-secret for sync-service",
            "vault-init: writes spring.r2dbc.pasword, which sync-service does not read");
    assertThat(
            ComposeFile.parse("services: {sync-service: {environment: {VAULT_ENABLED: 'false'}}}")
                .vaultSecretProblems(
                    Map.of("sync-service", List.of()), "vault-init", "", service -> Set.of()))
        .containsExactly("sync-service: Vault is not enabled");
  }

  @Test
  void theEmulatorKnowsTheGoogleClientThatVaultGivesOauthService() {
    Map<String, String> emulator =
        ComposeFile.environmentValues(COMPOSE.services().get("google-emulator"));
    Map<String, String> vaultInit =
        ComposeFile.environmentValues(COMPOSE.services().get("vault-init"));
    assertThat(emulator.get("GOOGLE_CLIENT_SECRET"))
        .startsWith("${CALSYNC_GOOGLE_CLIENT_SECRET:-")
        .isEqualTo(vaultInit.get("GOOGLE_CLIENT_SECRET"));
    assertThat(ComposeFile.vaultKvPuts(script()).get("oauth-service"))
        .containsEntry("calsync.google.client-secret", "GOOGLE_CLIENT_SECRET");
    // oauth-service's client id is its default, which the emulator must be told as well
    assertThat(ComposeFile.environment(COMPOSE.services().get("oauth-service")))
        .doesNotContain("GOOGLE_CLIENT_ID");
    assertThat(oauthServiceDefaultClientId()).isEqualTo(emulator.get("GOOGLE_CLIENT_ID"));
  }

  @Test
  void everyMountedFileExists() {
    assertThat(COMPOSE.missingMounts()).isEmpty();
    assertThat(
            COMPOSE.services().values().stream().flatMap(s -> ComposeFile.bindSources(s).stream()))
        .isNotEmpty();

    assertThat(BROKEN.missingMounts())
        .containsExactly("db: ./deploy/compose/no-such-file.sh does not exist");
  }

  @Test
  void onlyTheEntryPointsPublishPortsAndOnlyOnThisMachine() {
    Map<String, List<String>> published = COMPOSE.publishedPorts();
    assertThat(ENTRY_POINTS).containsAll(published.keySet());
    assertThat(published).containsKey("gateway");
    published.forEach(
        (service, ports) ->
            assertThat(ports).as(service).allMatch(p -> p.startsWith("127.0.0.1:")));
  }

  @Test
  void promtoolAcceptsThePrometheusConfigurationOfCompose() throws Exception {
    assertThat(PrometheusTests.promtool("check", "config", PROMETHEUS_CONFIG.toString()))
        .contains("SUCCESS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceByItsComposeNameWithTheLocalStacksRules() throws IOException {
    Map<String, Object> compose = document(PROMETHEUS_CONFIG);
    Map<String, Object> local = document(ROOT.resolve("deploy/prometheus/prometheus.yml"));
    assertThat(compose.get("rule_files")).isEqualTo(local.get("rule_files"));
    for (Map<String, Object> group :
        listAt(listAt(compose, "scrape_configs").get(0), "static_configs")) {
      String service = (String) at(group, "labels", "service");
      assertThat(SERVICES).contains(service);
      String port = String.valueOf(managementPort(service));
      assertThat((List<Object>) group.get("targets")).containsExactly(service + ":" + port);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void grafanaIsProvisionedWithPrometheusAndTheDashboardsItMounts() throws IOException {
    Object grafana = COMPOSE.services().get("grafana");
    assertThat(ComposeFile.bindSources(grafana))
        .contains("./deploy/grafana/provisioning", "./deploy/grafana/dashboards");
    Map<String, Object> datasources =
        document(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
    assertThat(listAt(datasources, "datasources"))
        .singleElement()
        .satisfies(
            source -> {
              assertThat(source.get("type")).isEqualTo("prometheus");
              assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
            });
    Map<String, Object> dashboards =
        document(ROOT.resolve("deploy/grafana/provisioning/dashboards/calsync.yml"));
    String path = (String) at(listAt(dashboards, "providers").get(0), "options", "path");
    assertThat((List<Object>) at(grafana, "volumes"))
        .contains("./deploy/grafana/dashboards:" + path + ":ro");
  }

  /** The management port the service is given in the compose file. */
  private static Object managementPort(String service) {
    Map<?, ?> environment = (Map<?, ?>) at(COMPOSE.services().get(service), "environment");
    return environment.entrySet().stream()
        .filter(e -> String.valueOf(e.getKey()).endsWith("_MANAGEMENT_PORT"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static String script() {
    try {
      return Files.readString(ROOT.resolve(VAULT_INIT_SCRIPT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The default of {@code calsync.google.client-id} in oauth-service's application.yml. */
  private static String oauthServiceDefaultClientId() {
    try {
      Object value =
          at(
              document(ROOT.resolve("oauth-service/src/main/resources/application.yml")),
              "calsync",
              "google",
              "client-id");
      Matcher placeholder =
          Pattern.compile("\\$\\{GOOGLE_CLIENT_ID:([^}]+)}").matcher(String.valueOf(value));
      assertThat(placeholder.matches()).as("client-id: %s", value).isTrue();
      return placeholder.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> document(Path file) throws IOException {
    return Manifests.documents(Files.readString(file)).get(0);
  }
}
