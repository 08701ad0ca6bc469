package io.calsync.contract.http;

import com.fasterxml.jackson.annotation.JsonValue;

/** The state of a connection as the public API shows it. */
public enum ConnectionStatus {
  ACTIVE("active"),
  REAUTH_REQUIRED("reauth_required");

  private final String wire;

  ConnectionStatus(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
