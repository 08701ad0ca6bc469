package io.calsync.oauth.domain;

/**
 * Encryption or decryption failed. Transient when the key service (Vault) could not be reached;
 * otherwise the ciphertext was tampered with, or made with a key this instance does not have.
 */
public class TokenCipherException extends RuntimeException {

  private final boolean isTransient;

  public TokenCipherException(String message, boolean isTransient, Throwable cause) {
    super(message, cause);
    this.isTransient = isTransient;
  }

  public boolean isTransient() {
    return isTransient;
  }
}
