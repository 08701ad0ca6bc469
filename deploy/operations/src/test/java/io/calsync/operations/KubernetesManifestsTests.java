package io.calsync.operations;

import static io.calsync.operations.Manifests.SERVICES;
import static io.calsync.operations.Manifests.at;
import static io.calsync.operations.Manifests.listAt;
import static io.calsync.operations.Manifests.mapAt;
import static io.calsync.operations.Manifests.reads;
import static io.calsync.operations.Manifests.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code kubectl kustomize} renders from the base and the production overlay (deploy/k8s):
 * every service is a Deployment whose containers have probes from the actuator groups, resources
 * and a locked-down security context, with a Service, an autoscaler and a disruption budget;
 * network policies open only the gateway to the world and the management ports only to Prometheus;
 * and every setting a manifest passes is one its service reads.
 */
class KubernetesManifestsTests {

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void everyServiceIsADeploymentWithServiceAutoscalerAndDisruptionBudget(String overlay) {
    List<Map<String, Object>> documents = render(overlay);

    for (String service : SERVICES) {
      assertThat(named(documents, "Deployment", service)).as(service).isNotNull();
      assertThat(named(documents, "Service", service)).as(service).isNotNull();
      assertThat(
              at(
                  named(documents, "HorizontalPodAutoscaler", service),
                  "spec",
                  "scaleTargetRef",
                  "name"))
          .as(service)
          .isEqualTo(service);
      Map<String, Object> budget = named(documents, "PodDisruptionBudget", service);
      assertThat(budget).as(service).isNotNull();
      assertThat(at(budget, "spec", "selector", "matchLabels"))
          .as(service)
          .isEqualTo(Map.of("app.kubernetes.io/name", service));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void everyContainerHasProbesResourcesAndALockedDownSecurityContext(String overlay) {
    for (Map<String, Object> deployment : ofKind(render(overlay), "Deployment")) {
      String name = (String) at(deployment, "metadata", "name");
      Map<String, Object> pod = mapAt(deployment, "spec", "template", "spec");
      assertThat(at(pod, "securityContext", "runAsNonRoot")).as(name).isEqualTo(true);
      assertThat(at(pod, "securityContext", "seccompProfile", "type"))
          .as(name)
          .isEqualTo("RuntimeDefault");
      List<Map<String, Object>> containers = listAt(pod, "containers");
      assertThat(containers).as(name).isNotEmpty();
      for (Map<String, Object> container : containers) {
        String where = name + "/" + container.get("name");
        assertThat(at(container, "livenessProbe", "httpGet", "path"))
            .as(where)
            .isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "readinessProbe", "httpGet", "path"))
            .as(where)
            .isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe", "httpGet", "port"))
            .as(where + ": probes on the management port")
            .isEqualTo("management");
        for (String bound : List.of("requests", "limits")) {
          assertThat(at(container, "resources", bound, "cpu")).as(where + " " + bound).isNotNull();
          assertThat(at(container, "resources", bound, "memory"))
              .as(where + " " + bound)
              .isNotNull();
        }
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation"))
            .as(where)
            .isEqualTo(false);
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem"))
            .as(where)
            .isEqualTo(true);
        assertThat(at(container, "securityContext", "capabilities", "drop"))
            .as(where)
            .isEqualTo(List.of("ALL"));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void onlyTheGatewayIsOpenAndManagementPortsOnlyToPrometheus(String overlay) {
    List<Map<String, Object>> policies = ofKind(render(overlay), "NetworkPolicy");

    Map<String, Object> denyAll = named(policies, "NetworkPolicy", "default-deny-ingress");
    assertThat(at(denyAll, "spec", "podSelector")).isEqualTo(Map.of());
    assertThat(at(denyAll, "spec", "ingress")).isNull();
    for (Map<String, Object> policy : policies) {
      String name = (String) at(policy, "metadata", "name");
      for (Map<String, Object> rule : listAt(policy, "spec", "ingress")) {
        List<Map<String, Object>> ports = listAt(rule, "ports");
        assertThat(ports).as(name + ": every rule names its ports").isNotEmpty();
        boolean management = ports.stream().anyMatch(p -> "management".equals(p.get("port")));
        if (rule.get("from") == null) {
          assertThat(at(policy, "spec", "podSelector", "matchLabels"))
              .as(name + ": only the gateway is open to everyone")
              .isEqualTo(Map.of("app.kubernetes.io/name", "gateway"));
          assertThat(management).as(name).isFalse();
        }
        if (management) {
          List<Map<String, Object>> from = listAt(rule, "from");
          assertThat(from)
              .as(name + ": management ports only to Prometheus")
              .allSatisfy(
                  peer ->
                      assertThat(at(peer, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                          .isEqualTo("prometheus"));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void everySettingPassedIsOneTheServiceReads(String overlay) {
    List<Map<String, Object>> documents = render(overlay);
    for (String service : SERVICES) {
      List<Map<String, Object>> containers =
          listAt(named(documents, "Deployment", service), "spec", "template", "spec", "containers");
      for (Map<String, Object> container : containers) {
        for (Map<String, Object> variable : listAt(container, "env")) {
          String name = (String) variable.get("name");
          assertThat(reads(service, name)).as(service + " reads " + name).isTrue();
        }
      }
    }
    // the shared ConfigMap goes to every service: each of its keys is read by one at least
    Map<String, Object> config =
        mapAt(
            ofKind(documents, "ConfigMap").stream()
                .filter(
                    c -> Objects.toString(at(c, "metadata", "name")).startsWith("calsync-config"))
                .findFirst()
                .orElseThrow(),
            "data");
    for (String key : config.keySet()) {
      assertThat(SERVICES.stream().anyMatch(service -> reads(service, key)))
          .as("some service reads " + key)
          .isTrue();
    }
  }

  private static List<Map<String, Object>> ofKind(
      List<Map<String, Object>> documents, String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static Map<String, Object> named(
      List<Map<String, Object>> documents, String kind, String name) {
    return ofKind(documents, kind).stream()
        .filter(d -> name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElse(null);
  }
}
