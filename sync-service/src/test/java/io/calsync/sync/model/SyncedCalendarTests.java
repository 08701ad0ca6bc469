package io.calsync.sync.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyncedCalendarTests {

  private static SyncedCalendar cal(String name, boolean selected, String published) {
    return new SyncedCalendar(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "a@example.com",
        name,
        "#123456",
        "Europe/Berlin",
        "owner",
        true,
        selected,
        false,
        published);
  }

  @Test
  void aNewCalendarNeedsAnnouncement() {
    assertThat(cal("Work", true, null).needsAnnouncement()).isTrue();
  }

  @Test
  void anUnchangedCalendarDoesNot() {
    var c = cal("Work", true, null);
    assertThat(cal("Work", true, c.fingerprint()).needsAnnouncement()).isFalse();
  }

  @Test
  void renameOrSelectionChangeNeedsAnnouncement() {
    var published = cal("Work", true, null).fingerprint();
    assertThat(cal("Work 2", true, published).needsAnnouncement()).isTrue();
    assertThat(cal("Work", false, published).needsAnnouncement()).isTrue();
  }
}
