package io.calsync.emulator.calendar;

import io.calsync.emulator.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored event row of a calendar: a single event, a series master or an exception (modified or
 * cancelled instance). Guarded by its calendar's lock; {@link #json} nodes are never mutated after
 * they are stored, so they can be serialized outside the lock.
 */
final class StoredEvent {

  final String id;
  final long ordinal;

  /** The full resource, status included (cancelled when deleted). */
  ObjectNode json;

  long changeSeq;
  Instant updated;
  boolean cancelled;
  EventTime start;
  EventTime end;
  List<String> recurrence;
  Recurrence rule;

  /** For exceptions: the series id and where the rule put this instance. */
  String recurringEventId;

  EventTime originalStart;

  /**
   * Instances a series had before an edit of its times or rule moved them away (instance-id suffix
   * → original start): incremental syncs with singleEvents=true list them as cancelled.
   */
  Map<String, EventTime> retired;

  StoredEvent(String id, long ordinal) {
    this.id = id;
    this.ordinal = ordinal;
  }

  boolean isSeries() {
    return recurrence != null && !recurrence.isEmpty() && recurringEventId == null;
  }

  boolean isException() {
    return recurringEventId != null;
  }

  /** Re-reads the derived fields from {@link #json}. */
  void derive() {
    cancelled = "cancelled".equals(Json.text(json, "status"));
    start = EventTime.parse(json.get("start"), "start");
    end = EventTime.parse(json.get("end"), "end");
    JsonNode rec = json.get("recurrence");
    if (rec != null && rec.isArray() && !rec.isEmpty() && recurringEventId == null) {
      List<String> lines = new ArrayList<>();
      rec.forEach(l -> lines.add(l.asString()));
      recurrence = List.copyOf(lines);
      rule = Recurrence.parse(recurrence);
    } else {
      recurrence = null;
      rule = null;
    }
  }

  /** What incremental results show for a deleted event: id and status only (plus kind, etag). */
  ObjectNode tombstone() {
    ObjectNode node = Json.object();
    node.put("kind", "calendar#event");
    node.set("etag", json.get("etag"));
    node.put("id", id);
    node.put("status", "cancelled");
    if (recurringEventId != null) {
      node.put("recurringEventId", recurringEventId);
      node.set("originalStartTime", originalStart.toJson());
    }
    return node;
  }
}
