package io.calsync.oauth.token;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token custody: how early an access token is refreshed, how tokens are encrypted at rest, and the
 * background re-encryption after a key rotation.
 *
 * @param refreshAhead an access token with less than this left is refreshed before it is handed out
 */
@Validated
@ConfigurationProperties("calsync.token")
public record TokenProperties(
    @DefaultValue("120s") @NotNull Duration refreshAhead,
    @Valid @NotNull @DefaultValue Cipher cipher,
    @Valid @NotNull @DefaultValue Reencryption reencryption) {

  /**
   * @param key base64 of a 32-byte AES key (env {@code TOKEN_ENCRYPTION_KEY}); required when Vault
   *     is off, unless {@code generateDevKey}
   * @param keyVersion the version of {@code key}, stored beside each ciphertext it makes
   * @param previousKeys older keys by version, kept to decrypt what they made after a rotation
   * @param generateDevKey without {@code key} and Vault, generate (or reuse) a development key in
   *     {@code keyFile} instead of refusing to start (env {@code TOKEN_GENERATE_DEV_KEY}); for the
   *     local stack only
   * @param keyFile where the generated development key is kept
   * @param vaultTransitPath the transit engine's mount path when Vault is enabled
   * @param vaultKeyName the transit key's name when Vault is enabled
   */
  public record Cipher(
      String key,
      @DefaultValue("1") @Min(1) int keyVersion,
      Map<Integer, String> previousKeys,
      @DefaultValue("false") boolean generateDevKey,
      @DefaultValue("./.local-stack/oauth-token.key") @NotNull Path keyFile,
      @DefaultValue("transit") @NotBlank String vaultTransitPath,
      @DefaultValue("oauth-tokens") @NotBlank String vaultKeyName) {

    public Cipher {
      previousKeys = previousKeys == null ? Map.of() : Map.copyOf(previousKeys);
    }

    @Override
    public String toString() {
      return "Cipher[key=<redacted>, keyVersion=" + keyVersion + ", previousKeys=" + previousKeys.keySet()
          + ", generateDevKey=" + generateDevKey + ", keyFile=" + keyFile + "]";
    }
  }

  /**
   * The background job that rewrites ciphertexts made by an older key version, or bound to the
   * legacy associated data, with the current key.
   *
   * @param enabled off switch (env {@code TOKEN_REENCRYPTION_ENABLED})
   * @param interval pause between two runs; each run walks the whole table (env {@code
   *     TOKEN_REENCRYPTION_INTERVAL})
   * @param initialDelay before the first run after start-up
   * @param batchSize rows read per query; each row is re-encrypted and updated on its own
   */
  public record Reencryption(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1m") @NotNull Duration interval,
      @DefaultValue("30s") @NotNull Duration initialDelay,
      @DefaultValue("50") @Min(1) @Max(1000) int batchSize) {}
}
