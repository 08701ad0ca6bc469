package io.calsync.operations;

import static io.calsync.operations.Manifests.SERVICES;
import static io.calsync.operations.Manifests.at;
import static io.calsync.operations.Manifests.listAt;
import static io.calsync.operations.Manifests.mapAt;
import static io.calsync.operations.Manifests.reads;
import static io.calsync.operations.Manifests.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code kubectl kustomize} renders from the base and the production overlay (deploy/k8s):
 * every service is a Deployment whose containers have probes from the actuator groups, resources
 * and a locked-down security context, with a Service, an autoscaler and a disruption budget;
 * network policies open only the gateway to the world, Redis only to the gateway and the management
 * ports only to Prometheus; the gateway keeps its sessions in the one Redis; no secret is written
 * in a manifest; and every setting a manifest passes is one its service reads.
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
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
          assertThat(container.get(probe)).as(where + " " + probe).isNotNull();
        }
        if (SERVICES.contains(name)) {
          assertThat(at(container, "livenessProbe", "httpGet", "path"))
              .as(where)
              .isEqualTo("/actuator/health/liveness");
          assertThat(at(container, "readinessProbe", "httpGet", "path"))
              .as(where)
              .isEqualTo("/actuator/health/readiness");
          assertThat(at(container, "livenessProbe", "httpGet", "port"))
              .as(where + ": probes on the management port")
              .isEqualTo("management");
        }
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
  void theGatewayKeepsItsSessionsInOneRedisBehindItsService(String overlay) {
    List<Map<String, Object>> documents = render(overlay);
    Map<String, Object> redis = named(documents, "Deployment", "redis");
    assertThat(at(redis, "spec", "replicas")).isEqualTo(1);
    assertThat(at(redis, "spec", "strategy", "type"))
        .as("never two Redis side by side behind the Service")
        .isEqualTo("Recreate");
    assertThat(named(documents, "HorizontalPodAutoscaler", "redis")).isNull();
    Map<String, Object> container = listAt(redis, "spec", "template", "spec", "containers").get(0);
    List<Object> arguments = args(container);
    assertThat(arguments)
        .containsSequence("--requirepass", "$(REDIS_PASSWORD)")
        .containsSequence("--save", "60 1")
        .containsSequence("--appendonly", "no");
    // Redis writes its snapshot into an emptyDir, the only writable place; in production it gets
    // no CA either, as it talks to neither Kafka nor PostgreSQL
    String dataDirectory = (String) arguments.get(arguments.indexOf("--dir") + 1);
    Map<String, Object> mount =
        listAt(container, "volumeMounts").stream()
            .filter(m -> dataDirectory.equals(m.get("mountPath")))
            .findFirst()
            .orElseThrow();
    assertThat(listAt(redis, "spec", "template", "spec", "volumes"))
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.get("name")).isEqualTo(mount.get("name"));
              assertThat(volume).containsKey("emptyDir");
            });

    Map<String, Object> service = named(documents, "Service", "redis");
    assertThat(at(service, "spec", "selector"))
        .isEqualTo(at(redis, "spec", "selector", "matchLabels"));
    Map<String, Object> servicePort = listAt(service, "spec", "ports").get(0);
    assertThat(listAt(container, "ports"))
        .anySatisfy(
            port -> {
              assertThat(port.get("name")).isEqualTo(servicePort.get("targetPort"));
              assertThat(port.get("containerPort")).isEqualTo(6379);
            });

    Map<String, Map<String, Object>> gateway = environment(documents, "gateway");
    assertThat(gateway.get("GATEWAY_SESSION_STORE")).containsEntry("value", "redis");
    assertThat(gateway.get("REDIS_HOST")).containsEntry("value", at(service, "metadata", "name"));
    assertThat(gateway.get("REDIS_PORT"))
        .containsEntry("value", String.valueOf(servicePort.get("port")));
    // the password Redis requires, from the same Secret
    assertThat(at(gateway.get("REDIS_PASSWORD"), "valueFrom", "secretKeyRef")).isNotNull();
    assertThat(gateway.get("REDIS_PASSWORD"))
        .isEqualTo(environment(documents, "redis").get("REDIS_PASSWORD"));
    assertThat(at(gateway.get("WEB_CLIENT_SECRET"), "valueFrom", "secretKeyRef", "name"))
        .isEqualTo("gateway");
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void noSecretIsWrittenInAManifest(String overlay) {
    List<Map<String, Object>> documents = render(overlay);
    assertThat(ofKind(documents, "Secret")).as("Secrets are created out of band").isEmpty();
    for (Map<String, Object> deployment : ofKind(documents, "Deployment")) {
      String name = (String) at(deployment, "metadata", "name");
      environment(documents, name)
          .forEach(
              (variable, entry) -> {
                if (SECRET_NAME.matcher(variable).find()) {
                  assertThat(entry)
                      .as(name + " " + variable + " from a Secret")
                      .doesNotContainKey("value");
                  assertThat(at(entry, "valueFrom", "secretKeyRef", "key"))
                      .as(name + " " + variable + " from a Secret")
                      .isNotNull();
                }
              });
    }
    for (Map<String, Object> config : ofKind(documents, "ConfigMap")) {
      assertThat(mapAt(config, "data").keySet())
          .as((String) at(config, "metadata", "name"))
          .noneMatch(key -> SECRET_NAME.matcher(key).find());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/k8s/base", "deploy/k8s/overlays/production"})
  void onlyTheGatewayReachesRedis(String overlay) {
    List<Map<String, Object>> documents = render(overlay);
    assertThat(rulesAdmittingToRedis(documents)).as("a rule admits the gateway").isNotEmpty();
    assertThat(peersOtherThanTheGatewayAdmittedToRedis(documents)).isEmpty();

    List<Map<String, Object>> open = new ArrayList<>(documents);
    open.addAll(
        Manifests.documents(
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: calsync-from-sync-service}
            spec:
              podSelector: {matchLabels: {app.kubernetes.io/part-of: calsync}}
              ingress:
                - from: [{podSelector: {matchLabels: {app.kubernetes.io/name: sync-service}}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: redis-from-anywhere}
            spec:
              podSelector: {matchLabels: {app.kubernetes.io/name: redis}}
              ingress:
                - ports: [{port: 6379}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: redis-management-from-anyone}
            spec:
              podSelector: {matchLabels: {app.kubernetes.io/name: redis}}
              ingress:
                - ports: [{port: management}]
            """));
    assertThat(peersOtherThanTheGatewayAdmittedToRedis(open))
        .containsExactlyInAnyOrder(
            "calsync-from-sync-service admits {podSelector={matchLabels={app.kubernetes.io/name=sync-service}}}",
            "redis-from-anywhere admits everyone");
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

  /** Variable names that hold a secret. */
  private static final Pattern SECRET_NAME = Pattern.compile("SECRET|PASSWORD|TOKEN|AUTH\\b");

  /** The ingress rules, by policy name, that let a peer reach Redis's port. */
  private static List<Map.Entry<String, Map<String, Object>>> rulesAdmittingToRedis(
      List<Map<String, Object>> documents) {
    Map<String, Object> pod = mapAt(named(documents, "Deployment", "redis"), "spec", "template");
    Map<String, Object> labels = mapAt(pod, "metadata", "labels");
    // the port by number and by name
    List<Object> redisPort = new ArrayList<>(List.of(6379));
    for (Map<String, Object> container : listAt(pod, "spec", "containers")) {
      for (Map<String, Object> port : listAt(container, "ports")) {
        if (Integer.valueOf(6379).equals(port.get("containerPort")) && port.get("name") != null) {
          redisPort.add(port.get("name"));
        }
      }
    }
    List<Map.Entry<String, Map<String, Object>>> rules = new ArrayList<>();
    for (Map<String, Object> policy : ofKind(documents, "NetworkPolicy")) {
      Map<String, Object> selector = mapAt(policy, "spec", "podSelector");
      Map<String, Object> matchLabels = mapAt(selector, "matchLabels");
      // a selector with expressions is taken to select Redis, so that it is looked at
      boolean selects =
          selector.get("matchExpressions") != null
              || matchLabels == null
              || labels.entrySet().containsAll(matchLabels.entrySet());
      if (!selects) {
        continue;
      }
      for (Map<String, Object> rule : listAt(policy, "spec", "ingress")) {
        List<Map<String, Object>> ports = listAt(rule, "ports");
        if (ports.isEmpty()
            || ports.stream()
                .anyMatch(p -> p.get("port") == null || redisPort.contains(p.get("port")))) {
          rules.add(Map.entry((String) at(policy, "metadata", "name"), rule));
        }
      }
    }
    return rules;
  }

  /** Who reaches Redis's port but the gateway's pods in Redis's namespace, policy by policy. */
  private static List<String> peersOtherThanTheGatewayAdmittedToRedis(
      List<Map<String, Object>> documents) {
    Map<String, Object> gateway =
        Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "gateway")));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Map<String, Object>> rule : rulesAdmittingToRedis(documents)) {
      List<Map<String, Object>> from = listAt(rule.getValue(), "from");
      if (from.isEmpty()) {
        problems.add(rule.getKey() + " admits everyone");
      }
      for (Map<String, Object> peer : from) {
        if (!gateway.equals(peer)) {
          problems.add(rule.getKey() + " admits " + peer);
        }
      }
    }
    return problems;
  }

  /** The env entries of a Deployment's first container, by name. */
  private static Map<String, Map<String, Object>> environment(
      List<Map<String, Object>> documents, String deployment) {
    Map<String, Map<String, Object>> environment = new TreeMap<>();
    for (Map<String, Object> variable :
        listAt(
            listAt(
                    named(documents, "Deployment", deployment),
                    "spec",
                    "template",
                    "spec",
                    "containers")
                .get(0),
            "env")) {
      environment.put((String) variable.get("name"), variable);
    }
    return environment;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> args(Map<String, Object> container) {
    Object args = container.get("args");
    return args == null ? List.of() : (List<Object>) args;
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
