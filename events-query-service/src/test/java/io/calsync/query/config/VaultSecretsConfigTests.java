package io.calsync.query.config;

import io.calsync.testsupport.VaultSecretsContract;
import java.util.List;

/**
 * This service's secrets from Vault's KV engine at secret/events-query-service when Vault is on,
 * and no start when Vault refuses or is away: the shared checks of {@link VaultSecretsContract}.
 */
class VaultSecretsConfigTests extends VaultSecretsContract {

  VaultSecretsConfigTests() {
    super("events-query-service", List.of("spring.r2dbc.password"));
  }
}
