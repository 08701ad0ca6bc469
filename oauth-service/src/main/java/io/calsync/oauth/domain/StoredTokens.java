package io.calsync.oauth.domain;

import java.time.Instant;
import java.util.UUID;

/** A connection's token ciphertexts as stored. {@code refresh} may be null. */
public record StoredTokens(
    UUID connectionId, SealedToken access, Instant accessExpiresAt, SealedToken refresh) {

  /** The ciphertext of {@code column}; null for a missing refresh token. */
  public SealedToken sealed(TokenColumn column) {
    return column == TokenColumn.ACCESS ? access : refresh;
  }

  public TokenSlot slot(TokenColumn column) {
    return new TokenSlot(connectionId, column);
  }
}
