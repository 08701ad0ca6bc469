package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTests {

  private static final Path ROOT = Path.of("/repo");

  @Test
  void oneInstanceOfEachServiceOnTheReadmePortsByDefault() {
    LocalStackSettings settings = LocalStackSettings.from(Map.of(), ROOT);

    assertThat(settings.lanes()).hasSize(1);
    assertThat(settings.gatewayUrl()).isEqualTo("http://localhost:8080");
    assertThat(settings.firstLane().instance("sync-service")).isEqualTo("sync-service");
    assertThat(settings.managementPorts())
        .isEqualTo(new LocalStackSettings.ManagementPorts(9080, 9081, 9082, 9083));
  }

  @Test
  void servicesRunWithTheProductionJvmOptionsUnlessTold() {
    assertThat(LocalStackSettings.from(Map.of(), ROOT).serviceJvmOptions())
        .isEqualTo(LocalStackSettings.PRODUCTION_JVM_OPTIONS)
        .contains("-Xmx384m", "-XX:+UseSerialGC")
        .noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    assertThat(
            LocalStackSettings.from(
                    Map.of("LOCAL_STACK_JVM_OPTIONS", " -Xmx512m  -XX:+UseG1GC "), ROOT)
                .serviceJvmOptions())
        .containsExactly("-Xmx512m", "-XX:+UseG1GC");
  }

  @Test
  void furtherInstancesListen100PortsAboveTheFirstUnlessTold() {
    LocalStackSettings settings =
        LocalStackSettings.from(
            Map.of(
                "LOCAL_STACK_INSTANCES",
                "2",
                "GATEWAY_PORT",
                "7000",
                "SYNC_SERVICE_PORT_2",
                "7777"),
            ROOT);

    LocalStackSettings.Lane second = settings.lanes().get(1);
    assertThat(second.gatewayPort()).isEqualTo(7100);
    assertThat(second.oauthPort()).isEqualTo(8181);
    assertThat(second.syncPort()).isEqualTo(7777);
    assertThat(second.managementPorts().query()).isEqualTo(9183);
    assertThat(second.instance("sync-service")).isEqualTo("sync-service-2");
    // every lane shares lane 1's public address
    assertThat(settings.gatewayUrl()).isEqualTo("http://localhost:7000");
  }

  @Test
  void aBadInstanceCountOrPortIsRefusedByName() {
    assertThatThrownBy(() -> LocalStackSettings.from(Map.of("LOCAL_STACK_INSTANCES", "0"), ROOT))
        .hasMessageContaining("LOCAL_STACK_INSTANCES");
    assertThatThrownBy(() -> LocalStackSettings.from(Map.of("OIDC_PORT", "x"), ROOT))
        .hasMessageContaining("OIDC_PORT");
  }
}
