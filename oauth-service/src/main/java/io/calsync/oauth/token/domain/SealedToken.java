package io.calsync.oauth.token.domain;

import java.util.Objects;

/** A token's ciphertext and the version of the key that made it. Safe to log. */
public record SealedToken(String ciphertext, int keyVersion) {

  public SealedToken {
    Objects.requireNonNull(ciphertext, "ciphertext");
  }
}
