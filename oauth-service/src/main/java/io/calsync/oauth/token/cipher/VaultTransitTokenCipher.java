package io.calsync.oauth.token.cipher;

import io.calsync.oauth.token.domain.SealedToken;
import io.calsync.oauth.token.domain.TokenCipher;
import io.calsync.oauth.token.domain.TokenCipherException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.vault.VaultException;
import org.springframework.vault.core.ReactiveVaultTransitOperations;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Vault's transit engine: the key never leaves Vault. Its ciphertexts look like {@code
 * vault:v<version>:...}; the version is stored beside them, and after a {@code rotate} Vault keeps
 * decrypting older versions (down to the key's {@code min_decryption_version}).
 */
public final class VaultTransitTokenCipher implements TokenCipher {

  private static final Pattern VERSION = Pattern.compile("^vault:v(\\d+):");
  /** Spring Vault reports HTTP errors as {@code VaultException("Status 503 ...")}. */
  private static final Pattern SERVER_ERROR = Pattern.compile("^Status 5\\d\\d");

  private final ReactiveVaultTransitOperations transit;
  private final String keyName;
  private final Duration timeout;

  public VaultTransitTokenCipher(ReactiveVaultTransitOperations transit, String keyName, Duration timeout) {
    this.transit = transit;
    this.keyName = keyName;
    this.timeout = timeout;
  }

  @Override
  public Mono<SealedToken> encrypt(String plaintext) {
    return transit
        .encrypt(keyName, plaintext)
        .timeout(timeout)
        .map(ciphertext -> new SealedToken(ciphertext, versionOf(ciphertext)))
        .onErrorMap(e -> !(e instanceof TokenCipherException), VaultTransitTokenCipher::translate);
  }

  @Override
  public Mono<String> decrypt(SealedToken sealed) {
    return transit
        .decrypt(keyName, sealed.ciphertext())
        .timeout(timeout)
        .onErrorMap(e -> !(e instanceof TokenCipherException), VaultTransitTokenCipher::translate);
  }

  static int versionOf(String ciphertext) {
    Matcher matcher = VERSION.matcher(ciphertext);
    if (!matcher.find()) {
      throw new TokenCipherException("Vault returned an unexpected ciphertext format", false, null);
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static Throwable translate(Throwable e) {
    // Vault's error text can echo request details, but never the plaintext; keep only the type.
    return new TokenCipherException(
        "Vault transit failed: " + e.getClass().getSimpleName(), isTransient(e), null);
  }

  /** Unreachable, timed out, or answered 5xx (sealed, standby, overloaded): worth retrying later. */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof WebClientRequestException) {
        return true;
      }
      if (t instanceof WebClientResponseException r) {
        return r.getStatusCode().is5xxServerError();
      }
      if (t instanceof VaultException && t.getMessage() != null && SERVER_ERROR.matcher(t.getMessage()).find()) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
