package io.calsync.sync.model;

import java.util.UUID;

/** The local copy of an oauth-service connection. {@code status}: active | reauth_required. */
public record Connection(UUID id, String userId, String accountEmail, String status) {

  public static final String ACTIVE = "active";
  public static final String REAUTH_REQUIRED = "reauth_required";

  public boolean active() {
    return ACTIVE.equals(status);
  }
}
