package io.calsync.oauth.token;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Access tokens and their background re-encryption. How tokens are encrypted ({@code
 * calsync.token.cipher.*}) is {@code cipher/TokenCipherProperties}, beside the ciphers.
 *
 * @param refreshAhead an access token with less than this left is refreshed before it is handed out
 * @param refreshTimeout the longest an access-token request takes, waiting for another caller's
 *     refresh and this caller's own call to Google included (then 503); also how long a refresh
 *     claim holds. Above Google's worst case for a refresh (root README, *Timeout budget*)
 */
@Validated
@ConfigurationProperties("calsync.token")
record TokenProperties(
    @DefaultValue("120s") @NotNull Duration refreshAhead,
    @DefaultValue("40s") @NotNull Duration refreshTimeout,
    @Valid @NotNull @DefaultValue Reencryption reencryption) {

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
  record Reencryption(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("1m") @NotNull Duration interval,
      @DefaultValue("30s") @NotNull Duration initialDelay,
      @DefaultValue("50") @Min(1) @Max(1000) int batchSize) {}
}
