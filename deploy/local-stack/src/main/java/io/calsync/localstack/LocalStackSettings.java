package io.calsync.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where every part of the local stack listens. Each value comes from the environment variable of
 * the same name, with the README's defaults; the system tests pass free ports instead.
 *
 * <p>{@code LOCAL_STACK_INSTANCES} (default 1) runs that many instances of each service, as lanes:
 * lane {@code n} is a gateway, an oauth-service, a sync-service and an events-query-service that
 * call each other, all lanes sharing the one database server, broker, issuer and emulator. Lane 1
 * listens on the ports above; lane {@code n} on {@code <NAME>_<n>} when set, or 100 × (n − 1) above
 * lane 1's.
 *
 * <p>{@code LOCAL_STACK_JVM_OPTIONS} replaces the services' JVM options ({@link
 * #PRODUCTION_JVM_OPTIONS} by default), e.g. to compare collectors in the benchmark suite.
 */
record LocalStackSettings(
    Path repositoryRoot,
    Path workDirectory,
    List<Lane> lanes,
    int emulatorPort,
    int oidcPort,
    int postgresPort,
    String webhookBaseUrl,
    List<String> serviceJvmOptions) {

  static final int MAX_INSTANCES = 4;

  /**
   * What each service's JVM runs with, locally as in production (root README decision 32): the
   * default tiered JIT (C1 then C2), a fixed heap ceiling well under the 512 MiB budget, and the
   * serial collector, which suits a heap this small on a machine whose cores are shared by many
   * JVMs: no concurrent GC threads competing for them, the smallest footprint, and young pauses of
   * a few milliseconds at this size.
   */
  static final List<String> PRODUCTION_JVM_OPTIONS =
      List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

  static LocalStackSettings from(Map<String, String> env, Path repositoryRoot) {
    int instances = intValue(env, "LOCAL_STACK_INSTANCES", 1);
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException(
          "LOCAL_STACK_INSTANCES must be between 1 and " + MAX_INSTANCES + ", not " + instances);
    }
    List<Lane> lanes = new ArrayList<>();
    for (int n = 1; n <= instances; n++) {
      lanes.add(Lane.from(env, n));
    }
    return new LocalStackSettings(
        repositoryRoot,
        Path.of(
                env.getOrDefault(
                    "LOCAL_STACK_DIR", repositoryRoot.resolve(".local-stack").toString()))
            .toAbsolutePath(),
        List.copyOf(lanes),
        intValue(env, "GOOGLE_EMULATOR_PORT", 8090),
        intValue(env, "OIDC_PORT", 8099),
        intValue(env, "POSTGRES_PORT", 54320),
        env.get("PUBLIC_WEBHOOK_BASE_URL"),
        jvmOptions(env.get("LOCAL_STACK_JVM_OPTIONS")));
  }

  private static List<String> jvmOptions(String value) {
    return value == null || value.isBlank()
        ? PRODUCTION_JVM_OPTIONS
        : List.of(value.trim().split("\\s+"));
  }

  /** One instance of each service; {@code number} counts from 1. */
  record Lane(
      int number,
      int gatewayPort,
      int oauthPort,
      int syncPort,
      int queryPort,
      ManagementPorts managementPorts) {

    static Lane from(Map<String, String> env, int number) {
      return new Lane(
          number,
          port(env, "GATEWAY_PORT", 8080, number),
          port(env, "OAUTH_SERVICE_PORT", 8081, number),
          port(env, "SYNC_SERVICE_PORT", 8082, number),
          port(env, "QUERY_SERVICE_PORT", 8083, number),
          new ManagementPorts(
              port(env, "GATEWAY_MANAGEMENT_PORT", 9080, number),
              port(env, "OAUTH_MANAGEMENT_PORT", 9081, number),
              port(env, "SYNC_MANAGEMENT_PORT", 9082, number),
              port(env, "QUERY_MANAGEMENT_PORT", 9083, number)));
    }

    /**
     * Lane 1's port is {@code NAME}; lane n's is {@code NAME_n}, or 100 × (n − 1) above lane 1's.
     */
    private static int port(Map<String, String> env, String name, int fallback, int lane) {
      int first = intValue(env, name, fallback);
      return lane == 1 ? first : intValue(env, name + "_" + lane, first + 100 * (lane - 1));
    }

    /** The lane's name for a service: the service's own in lane 1, {@code <service>-<n>} after. */
    String instance(String service) {
      return number == 1 ? service : service + "-" + number;
    }

    String gatewayUrl() {
      return "http://localhost:" + gatewayPort;
    }
  }

  /** Each service's actuator port, which the gateway never routes. */
  record ManagementPorts(int gateway, int oauth, int sync, int query) {}

  private static int intValue(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
    }
  }

  /** Lane 1, whose gateway is the platform's public address. */
  Lane firstLane() {
    return lanes.get(0);
  }

  int gatewayPort() {
    return firstLane().gatewayPort();
  }

  int oauthPort() {
    return firstLane().oauthPort();
  }

  int syncPort() {
    return firstLane().syncPort();
  }

  int queryPort() {
    return firstLane().queryPort();
  }

  ManagementPorts managementPorts() {
    return firstLane().managementPorts();
  }

  String gatewayUrl() {
    return firstLane().gatewayUrl();
  }

  /** The platform's Google redirect URI, which the emulator registers for its client. */
  String redirectUri() {
    return gatewayUrl() + "/api/calendar/google/callback/";
  }

  String emulatorUrl() {
    return "http://localhost:" + emulatorPort;
  }

  String issuerUri() {
    return "http://localhost:" + oidcPort + "/" + DevIssuer.ISSUER_ID;
  }
}
