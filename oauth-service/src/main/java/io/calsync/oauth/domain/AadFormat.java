package io.calsync.oauth.domain;

/**
 * What a ciphertext's associated data was made of; stored beside each ciphertext ({@code
 * access_aad_format}, {@code refresh_aad_format}) so that rows written before the slot binding
 * still decrypt until the background re-encryption has rewritten them.
 */
public enum AadFormat {
  /** Before migration V2: only the key version (local key), nothing (Vault transit). */
  LEGACY(1),
  /**
   * The ciphertext's {@link TokenSlot}: connection id and column (and, locally, the key version).
   */
  SLOT(2);

  private final int code;

  AadFormat(int code) {
    this.code = code;
  }

  /** The value stored in the database. */
  public int code() {
    return code;
  }

  /** The format stored as {@code code}; null (a row written before V2) is {@link #LEGACY}. */
  public static AadFormat of(Integer code) {
    if (code == null || code == LEGACY.code) {
      return LEGACY;
    }
    if (code == SLOT.code) {
      return SLOT;
    }
    throw new TokenCipherException("Unknown associated-data format " + code, false, null);
  }
}
