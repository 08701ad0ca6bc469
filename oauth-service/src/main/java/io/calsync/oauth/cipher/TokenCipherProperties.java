package io.calsync.oauth.cipher;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Google tokens are encrypted at rest.
 *
 * @param key base64 of a 32-byte AES key (env {@code TOKEN_ENCRYPTION_KEY}); required when Vault is
 *     off, unless {@code generateDevKey}
 * @param keyVersion the version of {@code key}, stored beside each ciphertext it makes
 * @param previousKeys older keys by version, kept to decrypt what they made after a rotation
 * @param generateDevKey without {@code key} and Vault, generate (or reuse) a development key in
 *     {@code keyFile} instead of refusing to start (env {@code TOKEN_GENERATE_DEV_KEY}); for the
 *     local stack only
 * @param keyFile where the generated development key is kept
 * @param vaultTransitPath the transit engine's mount path when Vault is enabled
 * @param vaultKeyName the transit key's name when Vault is enabled
 */
@Validated
@ConfigurationProperties("calsync.token.cipher")
record TokenCipherProperties(
    String key,
    @DefaultValue("1") @Min(1) int keyVersion,
    Map<Integer, String> previousKeys,
    @DefaultValue("false") boolean generateDevKey,
    @DefaultValue("./.local-stack/oauth-token.key") @NotNull Path keyFile,
    @DefaultValue("transit") @NotBlank String vaultTransitPath,
    @DefaultValue("oauth-tokens") @NotBlank String vaultKeyName) {

  TokenCipherProperties {
    previousKeys = previousKeys == null ? Map.of() : Map.copyOf(previousKeys);
  }

  @Override
  public String toString() {
    return "TokenCipherProperties[key=<redacted>, keyVersion="
        + keyVersion
        + ", previousKeys="
        + previousKeys.keySet()
        + ", generateDevKey="
        + generateDevKey
        + ", keyFile="
        + keyFile
        + "]";
  }
}
