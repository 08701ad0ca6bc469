package io.calsync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Where a service's secrets come from, as its own {@code application.yml} and Spring Cloud Vault's
 * {@code vault://} import resolve them at start, against a Vault KV version 2 stand-in over real
 * HTTP ({@link VaultKvStandIn}): with {@code VAULT_ENABLED=true} each secret property is the value
 * in {@code secret/<service>}, not its development default; with Vault off nothing asks Vault; and
 * a Vault that refuses the service's token, or cannot be reached, stops the start ({@code
 * fail-fast: true}) instead of letting the service run on development defaults, without naming the
 * token or a secret; a path that holds no secret leaves the environment's values. The context is
 * the configuration data alone (no beans of the service), so the tests stay light. Each of
 * oauth-service, sync-service and events-query-service runs them by extending this class with its
 * name and the secret properties it reads.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class VaultSecretsContract {

  private static final String TOKEN = "service-token-" + UUID.randomUUID();
  private static final String REFUSED_TOKEN = "refused-token-" + UUID.randomUUID();

  private final String service;
  private final Map<String, String> fromVault = new LinkedHashMap<>();
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withInitializer(new ConfigDataApplicationContextInitializer());
  private VaultKvStandIn vault;

  /**
   * @param service the service's {@code spring.application.name}, which is also its Vault KV path
   * @param secretProperties the Spring property names of the secrets it reads from there
   */
  protected VaultSecretsContract(String service, List<String> secretProperties) {
    this.service = service;
    secretProperties.forEach(
        property -> fromVault.put(property, "from-vault-" + UUID.randomUUID()));
  }

  @BeforeEach
  public void startVault() {
    vault = new VaultKvStandIn(TOKEN).put(service, fromVault);
  }

  @AfterEach
  public void stopVault() {
    vault.close();
  }

  @Test
  public void withVaultOffEachSecretHasItsDefaultAndNothingAsksVault() {
    runner
        .withPropertyValues("VAULT_URI=" + vault.uri(), "VAULT_TOKEN=" + TOKEN)
        .run(context -> assertSecrets(context, false));
    assertThat(vault.requests()).as("requests that reached Vault").isEmpty();
  }

  @Test
  public void withVaultOnEachSecretComesFromTheServicesKvPath() {
    runner
        .withPropertyValues(
            "VAULT_ENABLED=true", "VAULT_URI=" + vault.uri(), "VAULT_TOKEN=" + TOKEN)
        .run(context -> assertSecrets(context, true));
    assertThat(vault.requests())
        .contains("/v1/secret/data/" + service + " token=accepted")
        .allMatch(request -> request.endsWith("token=accepted"));
  }

  @Test
  public void aTokenVaultRefusesStopsTheStartWithoutNamingTheTokenOrASecret(CapturedOutput output) {
    runner
        .withPropertyValues(
            "VAULT_ENABLED=true", "VAULT_URI=" + vault.uri(), "VAULT_TOKEN=" + REFUSED_TOKEN)
        .run(
            context -> {
              assertThat(context).hasFailed();
              String failure = failureChain(context.getStartupFailure());
              assertThat(failure).contains("403").doesNotContain(REFUSED_TOKEN, TOKEN);
              assertThat(fromVault.values()).noneMatch(failure::contains);
            });
    assertThat(vault.requests())
        .isNotEmpty()
        .allMatch(request -> request.endsWith("token=refused"));
    assertThat(output.getAll()).doesNotContain(REFUSED_TOKEN, TOKEN);
  }

  /**
   * Vault answering that the path holds no secret is no failure: the operator chose to give the
   * service's secrets by its environment instead.
   */
  @Test
  public void aKvPathNeverWrittenLeavesTheEnvironmentsValues() {
    try (VaultKvStandIn empty = new VaultKvStandIn(TOKEN)) {
      runner
          .withPropertyValues(
              "VAULT_ENABLED=true", "VAULT_URI=" + empty.uri(), "VAULT_TOKEN=" + TOKEN)
          .run(context -> assertSecrets(context, false));
      assertThat(empty.requests()).contains("/v1/secret/data/" + service + " token=accepted");
    }
  }

  @Test
  public void vaultUnreachableStopsTheStart() {
    String address = vault.uri();
    vault.close();
    runner
        .withPropertyValues("VAULT_ENABLED=true", "VAULT_URI=" + address, "VAULT_TOKEN=" + TOKEN)
        .run(context -> assertThat(context).hasFailed());
  }

  /** Each message of the failure and its causes, one a line. */
  private static String failureChain(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return chain.toString();
  }

  /**
   * The context started, and each secret property holds Vault's value ({@code fromVault}) or
   * another, non-null one (the environment's or {@code application.yml}'s).
   */
  private void assertSecrets(AssertableApplicationContext context, boolean fromVault) {
    assertThat(context).hasNotFailed();
    this.fromVault.forEach(
        (property, value) -> {
          String actual = context.getEnvironment().getProperty(property);
          if (fromVault) {
            assertThat(actual).as(property).isEqualTo(value);
          } else {
            assertThat(actual)
                .as("%s, a property of %s's application.yml", property, service)
                .isNotNull()
                .isNotEqualTo(value);
          }
        });
  }
}
