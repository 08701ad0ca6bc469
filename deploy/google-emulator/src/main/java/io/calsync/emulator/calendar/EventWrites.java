package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Ids;
import io.calsync.emulator.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The writes of one calendar's events: insert, patch, update, delete (tombstones, cancelled
 * exceptions, instances a series edit retired), each bumping the calendar's change sequence. Holds
 * no state and no lock of its own: {@link CalendarData} calls it with its monitor held.
 */
final class EventWrites {

  private static final Set<String> READ_ONLY =
      Set.of(
          "kind",
          "etag",
          "id",
          "htmlLink",
          "created",
          "updated",
          "creator",
          "recurringEventId",
          "originalStartTime",
          "iCalUID");

  private final CalendarData data;
  private final Occurrences occurrences;

  EventWrites(CalendarData data, Occurrences occurrences) {
    this.data = data;
    this.occurrences = occurrences;
  }

  private String etagFor(Instant at) {
    return "\"" + (at.toEpochMilli() * 1000 + data.seq % 1000) + "\"";
  }

  /** Builds the stored resource from client fields plus the server-owned ones. */
  private ObjectNode compose(
      String eventId,
      JsonNode fields,
      Instant created,
      Instant now,
      int sequence,
      String recurringEventId,
      EventTime originalStart,
      String iCalUID) {
    ObjectNode node = Json.object();
    node.put("kind", "calendar#event");
    node.put("etag", etagFor(now));
    node.put("id", eventId);
    String status = Json.text(fields, "status");
    node.put("status", status == null ? "confirmed" : status);
    node.put("htmlLink", data.htmlLink(eventId));
    node.put("created", Json.timestamp(created));
    node.put("updated", Json.timestamp(now));
    for (Map.Entry<String, JsonNode> field : fields.properties()) {
      String name = field.getKey();
      if (READ_ONLY.contains(name)
          || name.equals("status")
          || name.equals("sequence")
          || name.equals("organizer")
          || field.getValue().isNull()) {
        continue;
      }
      node.set(name, field.getValue());
    }
    ObjectNode creator = node.putObject("creator");
    creator.put("email", data.owner);
    creator.put("self", true);
    ObjectNode organizer = node.putObject("organizer");
    organizer.put("email", data.id);
    if (!data.primary) {
      organizer.put("displayName", data.summary);
    }
    organizer.put("self", true);
    if (recurringEventId != null) {
      node.put("recurringEventId", recurringEventId);
      node.set("originalStartTime", originalStart.toJson());
    }
    node.put("iCalUID", iCalUID);
    node.put("sequence", sequence);
    if (!node.has("reminders")) {
      node.putObject("reminders").put("useDefault", true);
    }
    if (!node.has("eventType")) {
      node.put("eventType", "default");
    }
    // Start/end as Google returns them: dateTime with offset.
    node.set("start", EventTime.parse(node.get("start"), "start").toJson());
    node.set("end", EventTime.parse(node.get("end"), "end").toJson());
    return node;
  }

  private void validateTimes(ObjectNode fields, boolean instance) {
    EventTime start = EventTime.parse(fields.get("start"), "start");
    EventTime end = EventTime.parse(fields.get("end"), "end");
    if (start.allDay() != end.allDay()) {
      throw ApiException.badRequest(
          "invalid", "The start and end times must either both be date or both be dateTime.", null);
    }
    if (start.allDay()
        ? !end.date().isAfter(start.date())
        : end.dateTime().toInstant().isBefore(start.dateTime().toInstant())) {
      throw new ApiException(
          400, "calendar", "timeRangeEmpty", "The specified time range is empty.", null, null);
    }
    JsonNode rec = fields.get("recurrence");
    if (!instance && rec != null && rec.isArray() && !rec.isEmpty()) {
      if (!start.allDay() && start.timeZone() == null) {
        throw ApiException.required("start", "Missing time zone definition for start time.");
      }
      List<String> lines = new ArrayList<>();
      rec.forEach(l -> lines.add(l.asString()));
      Recurrence.parse(lines);
    }
  }

  private void store(StoredEvent event, Instant now) {
    if (event.changeSeq != 0) {
      data.bySeq.remove(event.changeSeq);
    }
    event.changeSeq = ++data.seq;
    event.updated = now;
    data.bySeq.put(event.changeSeq, event);
    data.updated = now;
  }

  private StoredEvent newRow(String eventId) {
    StoredEvent row = new StoredEvent(eventId, ++data.ordinals);
    data.events.put(eventId, row);
    data.byOrdinal.put(row.ordinal, row);
    return row;
  }

  /** events.insert. */
  ObjectNode insert(ObjectNode body, Instant now) {
    String eventId = Json.text(body, "id");
    if (eventId != null) {
      if (!Ids.isBase32hex(eventId)) {
        throw ApiException.badRequest("invalid", "Invalid resource id value.", null);
      }
      if (data.events.containsKey(eventId)) {
        throw new ApiException(
            409, "global", "duplicate", "The requested identifier already exists.", null, null);
      }
    } else {
      do {
        eventId = Ids.base32hex(26);
      } while (data.events.containsKey(eventId));
    }
    validateTimes(body, false);
    String iCalUID = Json.text(body, "iCalUID");
    return insertValidated(eventId, body, now, iCalUID == null ? eventId + "@google.com" : iCalUID);
  }

  private ObjectNode insertValidated(String eventId, ObjectNode body, Instant now, String iCalUID) {
    ObjectNode json = compose(eventId, body, now, now, 0, null, null, iCalUID);
    StoredEvent row = newRow(eventId);
    row.json = json;
    row.derive();
    store(row, now);
    return json;
  }

  /** Fast path for seeding: bodies are trusted (built by the seeder). */
  int insertAll(List<ObjectNode> bodies, java.util.random.RandomGenerator random, Instant now) {
    int created = 0;
    for (ObjectNode body : bodies) {
      String eventId;
      do {
        eventId = Ids.base32hex(26, random);
      } while (data.events.containsKey(eventId));
      insertValidated(eventId, body, now, eventId + "@google.com");
      created++;
    }
    return created;
  }

  /** events.patch: the fields sent replace the stored ones; null clears a field. */
  ObjectNode patch(String eventId, ObjectNode body, String ifMatch, Instant now) {
    return write(eventId, body, ifMatch, now, true);
  }

  /** events.update: the body replaces the resource. */
  ObjectNode update(String eventId, ObjectNode body, String ifMatch, Instant now) {
    return write(eventId, body, ifMatch, now, false);
  }

  private ObjectNode write(
      String eventId, ObjectNode body, String ifMatch, Instant now, boolean patch) {
    StoredEvent row = data.events.get(eventId);
    ObjectNode current;
    String recurringEventId = null;
    EventTime originalStart = null;
    if (row == null) {
      Occurrences.InstanceRef ref = occurrences.resolveInstance(eventId);
      current = occurrences.instanceJson(ref.series(), ref.start());
      recurringEventId = ref.series().id;
      originalStart = ref.start();
    } else {
      current = row.json;
      recurringEventId = row.recurringEventId;
      originalStart = row.originalStart;
    }
    checkIfMatch(current, ifMatch);
    ObjectNode fields;
    if (patch) {
      fields = current.deepCopy();
      for (Map.Entry<String, JsonNode> f : body.properties()) {
        if (f.getValue().isNull()) {
          fields.remove(f.getKey());
        } else {
          fields.set(f.getKey(), f.getValue());
        }
      }
    } else {
      fields = body.deepCopy();
      if (recurringEventId != null) {
        fields.remove("recurrence");
      }
    }
    if (recurringEventId != null) {
      fields.remove("recurrence");
    }
    validateTimes(fields, recurringEventId != null);
    int sequence = current.path("sequence").asInt(0);
    if (!current.path("start").equals(fields.path("start"))
        || !current.path("end").equals(fields.path("end"))
        || !current.path("recurrence").equals(fields.path("recurrence"))) {
      sequence++;
    }
    Instant created = Instant.parse(Json.text(current, "created"));
    String iCalUID = Json.text(current, "iCalUID");
    ObjectNode json =
        compose(eventId, fields, created, now, sequence, recurringEventId, originalStart, iCalUID);
    if (row == null) {
      row = newRow(eventId);
      row.recurringEventId = recurringEventId;
      row.originalStart = originalStart;
      data.exceptions
          .computeIfAbsent(recurringEventId, k -> new LinkedHashMap<>())
          .put(eventId, row);
    }
    List<Occurrences.Occurrence> before =
        row.isSeries() && sequence != current.path("sequence").asInt(0)
            ? occurrences.between(
                row,
                null,
                now.plus(CalendarData.EXPANSION_HORIZON),
                Recurrence.MAX_OCCURRENCES,
                false)
            : List.of();
    row.json = json;
    row.derive();
    if (!before.isEmpty()) {
      retire(row, before, now);
    }
    store(row, now);
    return json;
  }

  /**
   * events.delete: a tombstone stays (status cancelled); an instance id becomes a cancelled
   * exception.
   */
  void delete(String eventId, String ifMatch, Instant now) {
    StoredEvent row = data.events.get(eventId);
    if (row == null) {
      Occurrences.InstanceRef ref = occurrences.resolveInstance(eventId);
      ObjectNode instance = occurrences.instanceJson(ref.series(), ref.start());
      checkIfMatch(instance, ifMatch);
      instance.put("status", "cancelled");
      instance.put("updated", Json.timestamp(now));
      instance.put("etag", etagFor(now));
      row = newRow(eventId);
      row.recurringEventId = ref.series().id;
      row.originalStart = ref.start();
      data.exceptions
          .computeIfAbsent(row.recurringEventId, k -> new LinkedHashMap<>())
          .put(eventId, row);
      row.json = instance;
      row.derive();
      store(row, now);
      return;
    }
    if (row.cancelled) {
      throw ApiException.deleted();
    }
    checkIfMatch(row.json, ifMatch);
    cancel(row, now);
    if (row.isSeries()) {
      for (StoredEvent exception : data.exceptions.getOrDefault(row.id, Map.of()).values()) {
        if (!exception.cancelled) {
          cancel(exception, now);
        }
      }
    }
  }

  /** Remembers the instances an edit of a series made disappear. */
  private void retire(StoredEvent row, List<Occurrences.Occurrence> before, Instant now) {
    java.util.Set<String> remaining = new java.util.HashSet<>();
    if (row.isSeries()) {
      for (Occurrences.Occurrence o :
          occurrences.between(
              row,
              null,
              now.plus(CalendarData.EXPANSION_HORIZON),
              Recurrence.MAX_OCCURRENCES,
              false)) {
        remaining.add(o.start().instanceSuffix());
      }
    }
    for (Occurrences.Occurrence o : before) {
      String suffix = o.start().instanceSuffix();
      if (!remaining.contains(suffix)) {
        if (row.retired == null) {
          row.retired = new LinkedHashMap<>();
        }
        if (row.retired.size() < Recurrence.MAX_OCCURRENCES) {
          row.retired.put(suffix, o.start());
        }
      }
    }
    if (row.retired != null) {
      row.retired.keySet().removeAll(remaining);
    }
  }

  private void cancel(StoredEvent row, Instant now) {
    ObjectNode json = row.json.deepCopy();
    json.put("status", "cancelled");
    json.put("updated", Json.timestamp(now));
    json.put("etag", etagFor(now));
    row.json = json;
    row.cancelled = true;
    store(row, now);
  }

  private static void checkIfMatch(ObjectNode current, String ifMatch) {
    if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals(Json.text(current, "etag"))) {
      throw ApiException.conditionNotMet();
    }
  }
}
