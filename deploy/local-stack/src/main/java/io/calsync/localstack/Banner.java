package io.calsync.localstack;

import java.util.stream.Collectors;

/** What the local stack prints once it is up: every address, and how to get a user token. */
final class Banner {

  private Banner() {}

  static String of(LocalStackSettings settings, String kafkaBootstrapServers) {
    LocalStackSettings.ManagementPorts management = settings.managementPorts();
    return String.join(
        "\n",
        "",
        "The calendar platform is up.",
        "  Web client and public API (gateway)  " + settings.gatewayUrl(),
        "  oauth-service                        http://localhost:" + settings.oauthPort(),
        "  sync-service                         http://localhost:" + settings.syncPort(),
        "  events-query-service                 http://localhost:" + settings.queryPort(),
        "  Actuator (health, info, prometheus)  management ports: gateway "
            + management.gateway()
            + ", oauth "
            + management.oauth()
            + ", sync "
            + management.sync()
            + ", query "
            + management.query(),
        otherLanes(settings),
        "  Google emulator                      "
            + settings.emulatorUrl()
            + "  (account "
            + LocalStack.DEMO_ACCOUNT
            + ")",
        "  OIDC issuer                          " + settings.issuerUri(),
        "  Kafka                                " + kafkaBootstrapServers,
        "  PostgreSQL                           localhost:"
            + settings.postgresPort()
            + "  (user postgres; databases oauth, sync, events)",
        "",
        "Get a user token:",
        "  curl -s -d 'grant_type=password&username=alice&password=x&client_id=calendar-web&scope=openid calendar' "
            + settings.issuerUri()
            + "/token",
        "",
        "Logs: " + settings.workDirectory().resolve("logs") + "    Ctrl-C stops everything.",
        "");
  }

  /** One line per lane after the first (LOCAL_STACK_INSTANCES), or nothing. */
  private static String otherLanes(LocalStackSettings settings) {
    return settings.lanes().stream()
        .skip(1)
        .map(
            lane ->
                String.format(
                    "  Instances %d (same database, broker)  gateway %s, oauth %d, sync %d, query %d;"
                        + " management %d, %d, %d, %d",
                    lane.number(),
                    lane.gatewayUrl(),
                    lane.oauthPort(),
                    lane.syncPort(),
                    lane.queryPort(),
                    lane.managementPorts().gateway(),
                    lane.managementPorts().oauth(),
                    lane.managementPorts().sync(),
                    lane.managementPorts().query()))
        .collect(Collectors.joining("\n"))
        .transform(
            lines ->
                lines.isEmpty()
                    ? "  Instances                            one of each (LOCAL_STACK_INSTANCES=2 for two)"
                    : lines);
  }
}
