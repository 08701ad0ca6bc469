package io.calsync.localstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where every part of the local stack listens. Each value comes from the environment variable of
 * the same name, with the README's defaults; the system tests pass free ports instead.
 */
record LocalStackSettings(
    Path repositoryRoot,
    Path workDirectory,
    int gatewayPort,
    int oauthPort,
    int syncPort,
    int queryPort,
    ManagementPorts managementPorts,
    int emulatorPort,
    int oidcPort,
    int postgresPort,
    String webhookBaseUrl) {

  static LocalStackSettings from(Map<String, String> env, Path repositoryRoot) {
    return new LocalStackSettings(
        repositoryRoot,
        Path.of(
                env.getOrDefault(
                    "LOCAL_STACK_DIR", repositoryRoot.resolve(".local-stack").toString()))
            .toAbsolutePath(),
        port(env, "GATEWAY_PORT", 8080),
        port(env, "OAUTH_SERVICE_PORT", 8081),
        port(env, "SYNC_SERVICE_PORT", 8082),
        port(env, "QUERY_SERVICE_PORT", 8083),
        new ManagementPorts(
            port(env, "GATEWAY_MANAGEMENT_PORT", 9080),
            port(env, "OAUTH_MANAGEMENT_PORT", 9081),
            port(env, "SYNC_MANAGEMENT_PORT", 9082),
            port(env, "QUERY_MANAGEMENT_PORT", 9083)),
        port(env, "GOOGLE_EMULATOR_PORT", 8090),
        port(env, "OIDC_PORT", 8099),
        port(env, "POSTGRES_PORT", 54320),
        env.get("PUBLIC_WEBHOOK_BASE_URL"));
  }

  /** Each service's actuator port, which the gateway never routes. */
  record ManagementPorts(int gateway, int oauth, int sync, int query) {}

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
    }
  }

  String gatewayUrl() {
    return "http://localhost:" + gatewayPort;
  }

  String emulatorUrl() {
    return "http://localhost:" + emulatorPort;
  }

  String issuerUri() {
    return "http://localhost:" + oidcPort + "/" + DevIssuer.ISSUER_ID;
  }
}
