package io.calsync.sync.config;

import io.calsync.testsupport.VaultSecretsContract;
import java.util.List;

/**
 * This service's secrets from Vault's KV engine at secret/sync-service when Vault is on, and no
 * start when Vault refuses or is away: the shared checks of {@link VaultSecretsContract}.
 */
class VaultSecretsConfigTests extends VaultSecretsContract {

  VaultSecretsConfigTests() {
    super("sync-service", List.of("calsync.token.client-secret", "spring.r2dbc.password"));
  }
}
