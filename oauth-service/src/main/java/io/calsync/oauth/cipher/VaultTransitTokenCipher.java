package io.calsync.oauth.cipher;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenSlot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.vault.VaultException;
import org.springframework.vault.core.ReactiveVaultOperations;
import org.springframework.vault.support.VaultResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Vault's transit engine: the key never leaves Vault. Its ciphertexts look like {@code
 * vault:v<version>:...}; the version is stored beside them, and after a {@code rotate} Vault keeps
 * decrypting older versions (down to the key's {@code min_decryption_version}).
 *
 * <p>Every ciphertext is bound to its {@link TokenSlot} through transit's {@code associated_data}
 * (Vault 1.13 or newer, {@code aes*-gcm96} and {@code chacha20-poly1305} keys): {@code
 * calsync:connection_tokens:<connection id>:<column>}. The key version is not part of it, because
 * Vault chooses the version when it encrypts and decrypts with the version named in the ciphertext;
 * a relabelled version would select another key and fail anyway. Spring Vault's transit template
 * cannot pass associated data, so this adapter calls the {@code encrypt}, {@code decrypt} and
 * {@code keys} endpoints itself. Ciphertexts of the {@link AadFormat#LEGACY legacy} format were
 * made without associated data and are decrypted without it.
 *
 * <p>The Vault token needs {@code update} on {@code <path>/encrypt/<key>} and {@code
 * <path>/decrypt/<key>} and {@code read} on {@code <path>/keys/<key>} (for {@code latest_version}).
 */
public final class VaultTransitTokenCipher implements TokenCipher {

  private static final Pattern VERSION = Pattern.compile("^vault:v(\\d+):");

  /** Spring Vault reports HTTP errors as {@code VaultException("Status 503 ...")}. */
  private static final Pattern SERVER_ERROR = Pattern.compile("^Status 5\\d\\d");

  private final ReactiveVaultOperations vault;
  private final String path;
  private final String keyName;
  private final Duration timeout;

  /**
   * @param path the transit engine's mount path, e.g. {@code transit}
   * @param keyName the transit key, e.g. {@code oauth-tokens}
   * @param timeout per Vault call
   */
  public VaultTransitTokenCipher(
      ReactiveVaultOperations vault, String path, String keyName, Duration timeout) {
    this.vault = vault;
    this.path = path;
    this.keyName = keyName;
    this.timeout = timeout;
  }

  @Override
  public Mono<SealedToken> encrypt(String plaintext, TokenSlot slot) {
    Map<String, String> request = new HashMap<>();
    request.put("plaintext", base64(plaintext));
    request.put("associated_data", base64(slot.canonical()));
    return call("encrypt", request)
        .map(data -> required(data, "ciphertext"))
        .map(ciphertext -> SealedToken.bound(ciphertext, versionOf(ciphertext)));
  }

  @Override
  public Mono<String> decrypt(SealedToken sealed, TokenSlot slot) {
    Map<String, String> request = new HashMap<>();
    request.put("ciphertext", sealed.ciphertext());
    if (sealed.aadFormat() == AadFormat.SLOT) {
      request.put("associated_data", base64(slot.canonical()));
    }
    return call("decrypt", request)
        .map(data -> required(data, "plaintext"))
        .map(VaultTransitTokenCipher::fromBase64);
  }

  /** The transit key's {@code latest_version}, which Vault encrypts with. */
  @Override
  public Mono<Integer> currentKeyVersion() {
    return vault
        .read(path + "/keys/" + keyName)
        .timeout(timeout)
        .onErrorMap(e -> !(e instanceof TokenCipherException), VaultTransitTokenCipher::translate)
        .switchIfEmpty(
            Mono.error(
                () ->
                    new TokenCipherException(
                        "Vault has no transit key '" + keyName + "'", false, null)))
        .map(
            response -> {
              Object latest =
                  response.getData() == null ? null : response.getData().get("latest_version");
              if (!(latest instanceof Number number)) {
                throw new TokenCipherException(
                    "Vault answered no latest_version for its transit key", false, null);
              }
              return number.intValue();
            });
  }

  private Mono<Map<String, Object>> call(String operation, Map<String, String> request) {
    return vault
        .write(path + "/" + operation + "/" + keyName, request)
        .timeout(timeout)
        .onErrorMap(e -> !(e instanceof TokenCipherException), VaultTransitTokenCipher::translate)
        .switchIfEmpty(
            Mono.error(
                () -> new TokenCipherException("Vault transit answered without data", false, null)))
        .map(VaultTransitTokenCipher::data);
  }

  private static Map<String, Object> data(VaultResponse response) {
    if (response.getData() == null) {
      throw new TokenCipherException("Vault transit answered without data", false, null);
    }
    return response.getData();
  }

  private static String required(Map<String, Object> data, String name) {
    if (!(data.get(name) instanceof String value) || value.isEmpty()) {
      throw new TokenCipherException("Vault transit answered without " + name, false, null);
    }
    return value;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String fromBase64(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TokenCipherException(
          "Vault transit answered a plaintext that is not base64", false, null);
    }
  }

  static int versionOf(String ciphertext) {
    Matcher matcher = VERSION.matcher(ciphertext);
    if (!matcher.find()) {
      throw new TokenCipherException("Vault returned an unexpected ciphertext format", false, null);
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static Throwable translate(Throwable e) {
    // Vault's error text can echo request details, but never the plaintext; keep only the type. A
    // ciphertext presented with other associated data (another connection or column) is a 400 here.
    return new TokenCipherException(
        "Vault transit failed: " + e.getClass().getSimpleName(), isTransient(e), null);
  }

  /**
   * Unreachable, timed out, or answered 5xx (sealed, standby, overloaded): worth retrying later.
   */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof WebClientRequestException) {
        return true;
      }
      if (t instanceof WebClientResponseException r) {
        return r.getStatusCode().is5xxServerError();
      }
      if (t instanceof VaultException
          && t.getMessage() != null
          && SERVER_ERROR.matcher(t.getMessage()).find()) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "VaultTransitTokenCipher[path=" + path + ", key=" + keyName + "]";
  }
}
