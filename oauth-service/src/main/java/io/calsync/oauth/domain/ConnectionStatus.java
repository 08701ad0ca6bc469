package io.calsync.oauth.domain;

import java.util.Arrays;

/** Lifecycle of a connection. {@code disconnected} rows are history and never shown. */
public enum ConnectionStatus {
  ACTIVE("active"),
  REAUTH_REQUIRED("reauth_required"),
  DISCONNECTED("disconnected");

  private final String dbValue;

  ConnectionStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  public String dbValue() {
    return dbValue;
  }

  public static ConnectionStatus fromDbValue(String value) {
    return Arrays.stream(values())
        .filter(s -> s.dbValue.equals(value))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown connection status " + value));
  }
}
