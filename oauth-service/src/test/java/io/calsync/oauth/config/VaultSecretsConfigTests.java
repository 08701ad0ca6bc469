package io.calsync.oauth.config;

import io.calsync.testsupport.VaultSecretsContract;
import java.util.List;

/**
 * This service's secrets from Vault's KV engine at secret/oauth-service when Vault is on, and no
 * start when Vault refuses or is away: the shared checks of {@link VaultSecretsContract}.
 */
class VaultSecretsConfigTests extends VaultSecretsContract {

  VaultSecretsConfigTests() {
    super("oauth-service", List.of("calsync.google.client-secret", "spring.r2dbc.password"));
  }
}
