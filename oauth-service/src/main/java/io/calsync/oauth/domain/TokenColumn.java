package io.calsync.oauth.domain;

/**
 * The two ciphertext columns of a connection's token row, named as in table {@code
 * connection_tokens}.
 */
public enum TokenColumn {
  ACCESS("access_token"),
  REFRESH("refresh_token");

  private final String columnName;

  TokenColumn(String columnName) {
    this.columnName = columnName;
  }

  /** The name used in the associated data: {@code access_token} or {@code refresh_token}. */
  public String columnName() {
    return columnName;
  }
}
