package io.calsync.oauth.token.domain;

import reactor.core.publisher.Mono;

/**
 * Encrypts Google tokens for storage. Each ciphertext records the key version that made it, so a new
 * key can take over while older ciphertexts stay readable. Failures are {@link TokenCipherException}s.
 */
public interface TokenCipher {

  Mono<SealedToken> encrypt(String plaintext);

  Mono<String> decrypt(SealedToken sealed);
}
