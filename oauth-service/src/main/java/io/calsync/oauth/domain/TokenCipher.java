package io.calsync.oauth.domain;

import reactor.core.publisher.Mono;

/**
 * Encrypts Google tokens for storage. Each ciphertext records the key version that made it, so a
 * new key can take over while older ciphertexts stay readable, and is bound to its {@link
 * TokenSlot} (connection id and column) as associated data, so it decrypts only where it was
 * stored. Failures are {@link TokenCipherException}s, whose messages never hold a token.
 */
public interface TokenCipher {

  /** Encrypts with the current key, bound to {@code slot} ({@link AadFormat#SLOT}). */
  Mono<SealedToken> encrypt(String plaintext, TokenSlot slot);

  /**
   * Decrypts a ciphertext read from {@code slot}, with the associated data of its {@link
   * SealedToken#aadFormat()}.
   */
  Mono<String> decrypt(SealedToken sealed, TokenSlot slot);

  /**
   * The key version new ciphertexts get now; a stored ciphertext with a lower version is due for
   * re-encryption. Asks the key service when there is one (Vault's {@code latest_version}).
   */
  Mono<Integer> currentKeyVersion();
}
