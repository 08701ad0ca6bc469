package io.calsync.operations;

import static io.calsync.operations.Manifests.ROOT;
import static io.calsync.operations.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege Vault policies of {@code deploy/vault/policies}, one per service that reads
 * Vault: each grants exactly the paths its service uses, with exactly the capabilities it needs,
 * and nothing else. The paths come from each service's own {@code application.yml} defaults: the KV
 * secret it reads ({@code <kv backend>/data/<default-context>}) and, for oauth-service, the transit
 * key it encrypts Google tokens with.
 */
class VaultPoliciesTests {

  private static final Path POLICIES = ROOT.resolve("deploy/vault/policies");

  private static final List<String> VAULT_SERVICES =
      List.of("oauth-service", "sync-service", "events-query-service");

  private static final Pattern DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]+:([^}]*)}");

  @Test
  void thereIsOnePolicyPerServiceThatReadsVaultAndConfigureShWritesEach() throws IOException {
    try (Stream<Path> files = Files.list(POLICIES)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(
              VAULT_SERVICES.stream().map(s -> s + ".hcl").toList());
    }
    String configure = Files.readString(ROOT.resolve("deploy/vault/configure.sh"));
    assertThat(configure)
        .contains("for service in " + String.join(" ", VAULT_SERVICES) + "; do")
        .contains("vault policy write \"$service\" \"policies/$service.hcl\"");
  }

  @Test
  void eachPolicyGrantsExactlyWhatItsServiceUses() throws IOException {
    for (String service : VAULT_SERVICES) {
      assertThat(policy(service).differencesFrom(needed(service))).as(service).isEmpty();
    }
    assertThat(needed("oauth-service"))
        .containsEntry("secret/data/oauth-service", Set.of("read"))
        .containsEntry("transit/encrypt/oauth-tokens", Set.of("update"));
    assertThat(needed("sync-service"))
        .containsExactly(Map.entry("secret/data/sync-service", Set.of("read")));

    VaultPolicy broken =
        VaultPolicy.parse(
            """
            # too much, and too little
            path "secret/data/*" {
              capabilities = ["read"]
            }
            path "secret/data/sync-service" {
              capabilities = ["read", "list"]
            }
            path "transit/keys/oauth-tokens" {
              capabilities = ["read"]
            }
            """);
    assertThat(broken.differencesFrom(needed("sync-service")))
        .containsExactly(
            "secret/data/*: a wildcard",
            "secret/data/sync-service: [list, read] instead of [read]",
            "transit/keys/oauth-tokens: not used");
    assertThat(VaultPolicy.parse("").differencesFrom(needed("events-query-service")))
        .containsExactly("secret/data/events-query-service: not granted");
  }

  /** What the service reads and writes in Vault, from its application.yml's defaults. */
  private static Map<String, Set<String>> needed(String service) throws IOException {
    Map<String, Object> yaml = application(service);
    String backend = defaultOf(yaml, "spring.cloud.vault.kv.backend");
    String context = defaultOf(yaml, "spring.cloud.vault.kv.default-context");
    assertThat(context).as("%s reads its own KV path", service).isEqualTo(service);
    String secret = backend + "/data/" + context;
    if (!service.equals("oauth-service")) {
      return Map.of(secret, Set.of("read"));
    }
    String transit = defaultOf(yaml, "calsync.token.cipher.vault-transit-path");
    String key = defaultOf(yaml, "calsync.token.cipher.vault-key-name");
    return Map.of(
        secret,
        Set.of("read"),
        transit + "/encrypt/" + key,
        Set.of("update"),
        transit + "/decrypt/" + key,
        Set.of("update"),
        transit + "/keys/" + key,
        Set.of("read"));
  }

  private static VaultPolicy policy(String service) throws IOException {
    return VaultPolicy.parse(Files.readString(POLICIES.resolve(service + ".hcl")));
  }

  private static Map<String, Object> application(String service) throws IOException {
    return Manifests.documents(
            Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.yml")))
        .get(0);
  }

  /** A property's value, or the default of its {@code ${VARIABLE:default}}. */
  private static String defaultOf(Map<String, Object> yaml, String property) {
    Object value = at(yaml, property.split("\\."));
    assertThat(value).as(property).isNotNull();
    Matcher placeholder = DEFAULT.matcher(String.valueOf(value));
    return placeholder.matches() ? placeholder.group(1) : String.valueOf(value);
  }
}
