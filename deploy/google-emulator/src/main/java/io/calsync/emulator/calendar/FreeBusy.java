package io.calsync.emulator.calendar;

import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@code freeBusyReader} sees of an event: when it is and whether it blocks time, nothing of
 * what it is (no summary, description, location, attendees, organizer, links). The facts file does
 * not say which fields Google keeps; this keeps the fewest a client needs to show "busy" and to
 * expand a series (an assumption, see the README's decision log).
 */
final class FreeBusy {

  private static final Set<String> KEPT =
      Set.of(
          "kind",
          "etag",
          "id",
          "status",
          "updated",
          "start",
          "end",
          "endTimeUnspecified",
          "recurrence",
          "recurringEventId",
          "originalStartTime",
          "transparency");

  private FreeBusy() {}

  static ObjectNode of(ObjectNode event) {
    ObjectNode visible = event.deepCopy();
    visible.retain(KEPT);
    return visible;
  }
}
