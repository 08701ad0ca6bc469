package io.calsync.sync.model;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A live Google push channel of one calendar. {@code token} is the secret Google echoes back. */
public record WatchChannel(
    String id,
    UUID calendarId,
    UUID connectionId,
    String resourceId,
    String token,
    OffsetDateTime expiresAt) {

  @Override
  public String toString() {
    return "WatchChannel[id="
        + id
        + ", calendarId="
        + calendarId
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
