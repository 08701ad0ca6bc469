package io.calsync.oauth.domain;

import java.util.Objects;

/**
 * A token's ciphertext, the version of the key that made it and the format of the associated data
 * it was bound to. Safe to log.
 */
public record SealedToken(String ciphertext, int keyVersion, AadFormat aadFormat) {

  public SealedToken {
    Objects.requireNonNull(ciphertext, "ciphertext");
    Objects.requireNonNull(aadFormat, "aadFormat");
  }

  /** A ciphertext made now: bound to its slot. */
  public static SealedToken bound(String ciphertext, int keyVersion) {
    return new SealedToken(ciphertext, keyVersion, AadFormat.SLOT);
  }
}
