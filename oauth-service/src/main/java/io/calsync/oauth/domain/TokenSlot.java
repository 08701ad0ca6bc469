package io.calsync.oauth.domain;

import java.util.Objects;
import java.util.UUID;

/**
 * Where a ciphertext is stored: one column of one connection's token row. Every encryption and
 * decryption is bound to its slot as associated data, so a ciphertext copied into another
 * connection's row, or from the access column to the refresh column, fails authentication instead
 * of decrypting.
 */
public record TokenSlot(UUID connectionId, TokenColumn column) {

  private static final String PREFIX = "calsync:connection_tokens:";

  public TokenSlot {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(column, "column");
  }

  public static TokenSlot access(UUID connectionId) {
    return new TokenSlot(connectionId, TokenColumn.ACCESS);
  }

  public static TokenSlot refresh(UUID connectionId) {
    return new TokenSlot(connectionId, TokenColumn.REFRESH);
  }

  /**
   * The canonical text of the slot, {@code calsync:connection_tokens:<connection id>:<column>},
   * e.g. {@code calsync:connection_tokens:3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21:access_token}. The
   * UUID is lower case ({@link UUID#toString()}). Ciphers add their key version where the
   * ciphertext does not already authenticate it ({@code ...:access_token:v2}).
   */
  public String canonical() {
    return PREFIX + connectionId + ":" + column.columnName();
  }

  /** The canonical text with the key version appended: {@code ...:access_token:v<keyVersion>}. */
  public String canonical(int keyVersion) {
    return canonical() + ":v" + keyVersion;
  }
}
