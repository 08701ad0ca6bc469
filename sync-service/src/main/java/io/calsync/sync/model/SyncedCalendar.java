package io.calsync.sync.model;

import java.util.Objects;
import java.util.UUID;

/**
 * A calendar of a connection. {@code id} is the platform's calendar id; {@code providerCalendarId}
 * is Google's. {@code publishedFingerprint} is what the last acknowledged {@code calendar.upserted}
 * said; when it differs from {@link #fingerprint()} the calendar must be announced again.
 */
public record SyncedCalendar(
    UUID id,
    UUID connectionId,
    String providerCalendarId,
    String name,
    String color,
    String timeZone,
    String accessRole,
    boolean primary,
    boolean selected,
    boolean removed,
    String publishedFingerprint) {

  public String fingerprint() {
    return String.join(
        "|",
        Objects.toString(name, ""),
        Objects.toString(color, ""),
        Objects.toString(timeZone, ""),
        Objects.toString(accessRole, ""),
        Boolean.toString(primary),
        Boolean.toString(selected),
        Boolean.toString(removed));
  }

  public boolean needsAnnouncement() {
    return !fingerprint().equals(publishedFingerprint);
  }
}
