package io.calsync.oauth.token.cipher;

import io.calsync.oauth.config.TokenProperties;
import io.calsync.oauth.token.domain.TokenCipher;
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
 * otherwise AES-GCM with a local key ({@code TOKEN_ENCRYPTION_KEY}, or a generated key file).
 */
@Configuration(proxyBeanMethods = false)
class TokenCipherConfiguration {

  private static final Logger log = LoggerFactory.getLogger(TokenCipherConfiguration.class);

  @Bean
  @ConditionalOnProperty(name = "spring.cloud.vault.enabled", havingValue = "true")
  TokenCipher vaultTransitTokenCipher(ReactiveVaultOperations vault, TokenProperties properties) {
    TokenProperties.Cipher cipher = properties.cipher();
    log.info(
        "Google tokens are encrypted with Vault transit key '{}' at '{}'", cipher.vaultKeyName(), cipher.vaultTransitPath());
    return new VaultTransitTokenCipher(vault, cipher.vaultTransitPath(), cipher.vaultKeyName(), Duration.ofSeconds(5));
  }

  @Bean
  @ConditionalOnProperty(name = "spring.cloud.vault.enabled", havingValue = "false", matchIfMissing = true)
  TokenCipher localAesGcmTokenCipher(TokenProperties properties) {
    TokenProperties.Cipher cipher = properties.cipher();
    Map<Integer, byte[]> keys = new HashMap<>();
    cipher.previousKeys().forEach((version, key) -> keys.put(version, LocalAesGcmTokenCipher.decodeKey(key)));
    if (StringUtils.hasText(cipher.key())) {
      keys.put(cipher.keyVersion(), LocalAesGcmTokenCipher.decodeKey(cipher.key()));
      log.info("Google tokens are encrypted with the configured local key, version {}", cipher.keyVersion());
    } else {
      keys.put(cipher.keyVersion(), LocalKeyFile.loadOrCreate(cipher.keyFile()));
      log.info(
          "Google tokens are encrypted with the local key file {}, version {}",
          cipher.keyFile().toAbsolutePath(),
          cipher.keyVersion());
    }
    return new LocalAesGcmTokenCipher(keys, cipher.keyVersion());
  }
}
