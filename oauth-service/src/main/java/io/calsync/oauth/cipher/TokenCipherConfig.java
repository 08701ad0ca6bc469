package io.calsync.oauth.cipher;

import io.calsync.oauth.domain.TokenCipher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import org.springframework.vault.core.ReactiveVaultOperations;

/**
 * Chooses the token cipher: Vault transit whenever Vault is enabled ({@code VAULT_ENABLED=true}),
 * otherwise AES-GCM with the configured local key ({@code TOKEN_ENCRYPTION_KEY}). Without either
 * the service refuses to start ({@link MissingTokenKeyException}), unless the local stack
 * explicitly asks for a generated development key ({@code TOKEN_GENERATE_DEV_KEY=true}).
 */
@Configuration(proxyBeanMethods = false)
class TokenCipherConfig {

  private static final Logger log = LoggerFactory.getLogger(TokenCipherConfig.class);

  @Bean
  @ConditionalOnProperty(name = "spring.cloud.vault.enabled", havingValue = "true")
  TokenCipher vaultTransitTokenCipher(ReactiveVaultOperations vault, TokenCipherProperties cipher) {
    log.info(
        "Google tokens are encrypted with Vault transit key '{}' at '{}'",
        cipher.vaultKeyName(),
        cipher.vaultTransitPath());
    return new VaultTransitTokenCipher(
        vault, cipher.vaultTransitPath(), cipher.vaultKeyName(), Duration.ofSeconds(5));
  }

  @Bean
  @ConditionalOnProperty(
      name = "spring.cloud.vault.enabled",
      havingValue = "false",
      matchIfMissing = true)
  TokenCipher localAesGcmTokenCipher(TokenCipherProperties cipher) {
    Map<Integer, byte[]> keys = new HashMap<>();
    cipher
        .previousKeys()
        .forEach((version, key) -> keys.put(version, LocalAesGcmTokenCipher.decodeKey(key)));
    if (StringUtils.hasText(cipher.key())) {
      keys.put(cipher.keyVersion(), LocalAesGcmTokenCipher.decodeKey(cipher.key()));
      log.info(
          "Google tokens are encrypted with the configured local key, version {}{}",
          cipher.keyVersion(),
          cipher.previousKeys().isEmpty()
              ? ""
              : "; older versions readable: " + cipher.previousKeys().keySet());
    } else if (cipher.generateDevKey()) {
      keys.put(cipher.keyVersion(), LocalKeyFile.loadOrCreate(cipher.keyFile()));
      log.warn(
          "Google tokens are encrypted with a generated DEVELOPMENT key from {} (version {}), because"
              + " TOKEN_GENERATE_DEV_KEY=true. Never use it outside a local stack: set TOKEN_ENCRYPTION_KEY"
              + " or VAULT_ENABLED=true instead.",
          cipher.keyFile().toAbsolutePath(),
          cipher.keyVersion());
    } else {
      throw new MissingTokenKeyException();
    }
    return new LocalAesGcmTokenCipher(keys, cipher.keyVersion());
  }
}
