package io.calsync.emulator.calendar;

import io.calsync.emulator.calendar.ListTokens.Cursor;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reads of one calendar's events: events.get, events.list (full pages, incremental syncs from a
 * sync token, ordered listings) and events.instances; their page and sync tokens are {@link
 * ListTokens}. Holds no state and no lock of its own: {@link CalendarData} calls it with its
 * monitor held.
 */
final class EventListing {

  private final CalendarData data;
  private final Occurrences occurrences;

  EventListing(CalendarData data, Occurrences occurrences) {
    this.data = data;
    this.occurrences = occurrences;
  }

  /** events.get (cancelled events are returned too). */
  ObjectNode get(String eventId) {
    StoredEvent row = data.events.get(eventId);
    if (row != null) {
      return row.json;
    }
    Occurrences.InstanceRef ref = occurrences.resolveInstance(eventId);
    return occurrences.instanceJson(ref.series(), ref.start());
  }

  /** events.list. */
  ListResult list(ListQuery q, Instant now) {
    Cursor cursor;
    if (q.pageToken() != null) {
      cursor = Cursor.decode(q.pageToken());
      if (cursor.mode() == 'I' && cursor.epoch() != data.epoch) {
        throw ApiException.fullSyncRequired();
      }
    } else if (q.syncToken() != null) {
      long at = ListTokens.decodeSyncToken(data, q.syncToken());
      cursor = new Cursor('I', data.epoch, data.seq, at, at + 1, 0);
    } else if (q.orderBy() != null) {
      cursor = new Cursor('O', data.epoch, data.seq, -1, 0, 0);
    } else {
      cursor = new Cursor('F', data.epoch, data.seq, -1, 1, 0);
    }
    if (q.syncToken() != null && cursor.mode() != 'I') {
      throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
    }
    Instant horizon = q.timeMax() != null ? q.timeMax() : now.plus(CalendarData.EXPANSION_HORIZON);
    return switch (cursor.mode()) {
      case 'O' -> listOrdered(q, cursor, horizon);
      case 'I' -> listIncremental(q, cursor, horizon);
      default -> listFull(q, cursor, horizon);
    };
  }

  private ListResult listFull(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> page = new ArrayList<>();
    long shardEnd = (cursor.main() / CalendarData.SHARD + 1) * CalendarData.SHARD;
    int scanned = 0;
    for (StoredEvent row : data.byOrdinal.tailMap(cursor.main(), true).values()) {
      // A page looks at no more than maxResults stored rows and never crosses a shard boundary:
      // rows filtered out (deleted, outside the window) make it short, as at Google.
      if (row.ordinal >= shardEnd || scanned++ == q.maxResults()) {
        return new ListResult(
            page,
            new Cursor('F', cursor.epoch(), cursor.snapshot(), -1, row.ordinal, 0).encode(),
            null);
      }
      List<ObjectNode> items = itemsFor(row, q, false, horizon);
      int from = row.ordinal == cursor.main() ? cursor.sub() : 0;
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(
              page,
              new Cursor('F', cursor.epoch(), cursor.snapshot(), -1, row.ordinal, i).encode(),
              null);
        }
        page.add(items.get(i));
      }
    }
    return new ListResult(page, null, ListTokens.syncToken(data, cursor.snapshot()));
  }

  private ListResult listIncremental(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> page = new ArrayList<>();
    for (StoredEvent row : data.bySeq.tailMap(cursor.main(), true).values()) {
      List<ObjectNode> items = itemsFor(row, q, true, horizon);
      int from = row.changeSeq == cursor.main() ? cursor.sub() : 0;
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(
              page,
              new Cursor(
                      'I', cursor.epoch(), cursor.snapshot(), cursor.tokenSeq(), row.changeSeq, i)
                  .encode(),
              null);
        }
        page.add(items.get(i));
      }
    }
    return new ListResult(page, null, ListTokens.syncToken(data, cursor.snapshot()));
  }

  private ListResult listOrdered(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> all = new ArrayList<>();
    for (StoredEvent row : data.byOrdinal.values()) {
      all.addAll(itemsFor(row, q, false, horizon));
    }
    Comparator<ObjectNode> order =
        "updated".equals(q.orderBy())
            ? Comparator.comparing((ObjectNode n) -> String.valueOf(Json.text(n, "updated")))
            : Comparator.comparing(this::startKey);
    all.sort(order.thenComparing(n -> String.valueOf(Json.text(n, "id"))));
    int from = (int) Math.min(cursor.main(), all.size());
    int to = Math.min(all.size(), from + q.maxResults());
    List<ObjectNode> page = new ArrayList<>(all.subList(from, to));
    String next =
        to < all.size()
            ? new Cursor('O', cursor.epoch(), cursor.snapshot(), -1, to, 0).encode()
            : null;
    // With orderBy Google returns no nextSyncToken at all.
    return new ListResult(page, next, null);
  }

  private Instant startKey(ObjectNode node) {
    JsonNode start = node.get("start");
    if (start == null) {
      start = node.get("originalStartTime");
    }
    if (start == null) {
      return Instant.MIN;
    }
    return EventTime.parse(start, "start").instant(data.zone);
  }

  /** The list items one stored row contributes (0..n; n > 1 only for an expanded series). */
  private List<ObjectNode> itemsFor(
      StoredEvent row, ListQuery q, boolean incremental, Instant horizon) {
    List<ObjectNode> items = itemsForRow(row, q, incremental, horizon);
    if (!(incremental && q.singleEvents() && row.retired != null)) {
      return items;
    }
    List<ObjectNode> withRetired = new ArrayList<>(items);
    Map<String, StoredEvent> own = data.exceptions.getOrDefault(row.id, Map.of());
    for (Map.Entry<String, EventTime> gone : row.retired.entrySet()) {
      String instanceId = row.id + "_" + gone.getKey();
      if (!own.containsKey(instanceId)) {
        withRetired.add(cancelledInstance(row, instanceId, gone.getValue()));
      }
    }
    return withRetired;
  }

  private static ObjectNode cancelledInstance(
      StoredEvent series, String instanceId, EventTime originalStart) {
    ObjectNode tomb = Json.object();
    tomb.put("kind", "calendar#event");
    tomb.set("etag", series.json.get("etag"));
    tomb.put("id", instanceId);
    tomb.put("status", "cancelled");
    tomb.put("recurringEventId", series.id);
    tomb.set("originalStartTime", originalStart.toJson());
    return tomb;
  }

  private List<ObjectNode> itemsForRow(
      StoredEvent row, ListQuery q, boolean incremental, Instant horizon) {
    if (row.isSeries() && q.singleEvents()) {
      if (!incremental && !matchesFilters(row, q)) {
        return List.of();
      }
      List<Occurrences.Occurrence> expanded =
          occurrences.between(
              row,
              incremental ? null : q.timeMin(),
              incremental ? horizon : horizon,
              Recurrence.MAX_OCCURRENCES,
              false);
      Map<String, StoredEvent> own = data.exceptions.getOrDefault(row.id, Map.of());
      List<ObjectNode> items = new ArrayList<>();
      for (Occurrences.Occurrence o : expanded) {
        String instanceId = row.id + "_" + o.start().instanceSuffix();
        if (own.containsKey(instanceId)) {
          continue;
        }
        if (row.cancelled) {
          if (incremental) {
            items.add(cancelledInstance(row, instanceId, o.start()));
          }
        } else {
          items.add(occurrences.instanceJson(row, o));
        }
      }
      return items;
    }
    if (row.cancelled) {
      boolean cancelledInstanceOfLiveSeries =
          row.isException()
              && !q.singleEvents()
              && data.events.containsKey(row.recurringEventId)
              && !data.events.get(row.recurringEventId).cancelled;
      // With updatedMin, deletions since then are always included.
      if (!(incremental
          || q.showDeleted()
          || q.updatedMin() != null
          || cancelledInstanceOfLiveSeries)) {
        return List.of();
      }
      if (!incremental && !matchesFilters(row, q)) {
        return List.of();
      }
      return List.of(row.tombstone());
    }
    if (!incremental && !matchesFilters(row, q)) {
      return List.of();
    }
    return List.of(row.json);
  }

  private boolean matchesFilters(StoredEvent row, ListQuery q) {
    if (q.timeMin() != null || q.timeMax() != null) {
      if (row.isSeries()) {
        Instant until =
            q.timeMax() != null
                ? q.timeMax()
                : row.start
                    .instant(data.zone)
                    .plus(CalendarData.EXPANSION_HORIZON)
                    .plus(CalendarData.EXPANSION_HORIZON);
        if (occurrences.between(row, q.timeMin(), until, 1, false).isEmpty()) {
          return false;
        }
      } else {
        EventTime start = row.start;
        EventTime end = row.end;
        if (q.timeMin() != null && !end.instant(data.zone).isAfter(q.timeMin())) {
          return false;
        }
        if (q.timeMax() != null && !start.instant(data.zone).isBefore(q.timeMax())) {
          return false;
        }
      }
    }
    if (q.updatedMin() != null && row.updated.isBefore(q.updatedMin())) {
      return false;
    }
    ObjectNode json = row.json;
    if (q.iCalUID() != null && !q.iCalUID().equals(Json.text(json, "iCalUID"))) {
      return false;
    }
    if (q.q() != null && !q.q().isBlank()) {
      String haystack =
          (String.valueOf(Json.text(json, "summary"))
                  + " "
                  + String.valueOf(Json.text(json, "description"))
                  + " "
                  + String.valueOf(Json.text(json, "location")))
              .toLowerCase(Locale.ROOT);
      for (String term : q.q().toLowerCase(Locale.ROOT).split("\\s+")) {
        if (!term.isEmpty() && !haystack.contains(term)) {
          return false;
        }
      }
    }
    if (!matchesProperties(json, "private", q.privateExtendedProperty())
        || !matchesProperties(json, "shared", q.sharedExtendedProperty())) {
      return false;
    }
    if (q.eventTypes() != null && !q.eventTypes().isEmpty()) {
      String type = Json.text(json, "eventType");
      if (!q.eventTypes().contains(type == null ? "default" : type)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesProperties(ObjectNode json, String kind, List<String> constraints) {
    if (constraints == null) {
      return true;
    }
    JsonNode props = json.path("extendedProperties").path(kind);
    for (String constraint : constraints) {
      int eq = constraint.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = constraint.substring(0, eq);
      String value = constraint.substring(eq + 1);
      if (!value.equals(Json.text(props, key))) {
        return false;
      }
    }
    return true;
  }

  /** events.instances: the instances of one series (exceptions applied). */
  ListResult instances(
      String seriesId,
      int maxResults,
      String pageToken,
      boolean showDeleted,
      Instant timeMin,
      Instant timeMax,
      Instant now) {
    StoredEvent series = data.events.get(seriesId);
    if (series == null) {
      throw ApiException.notFound();
    }
    if (series.cancelled) {
      throw ApiException.deleted();
    }
    List<ObjectNode> all = new ArrayList<>();
    if (!series.isSeries()) {
      all.add(series.json);
    } else {
      Instant horizon = timeMax != null ? timeMax : now.plus(CalendarData.EXPANSION_HORIZON);
      Map<String, StoredEvent> own = data.exceptions.getOrDefault(seriesId, Map.of());
      for (Occurrences.Occurrence o :
          occurrences.between(series, timeMin, horizon, Recurrence.MAX_OCCURRENCES, false)) {
        String instanceId = seriesId + "_" + o.start().instanceSuffix();
        StoredEvent exception = own.get(instanceId);
        if (exception == null) {
          all.add(occurrences.instanceJson(series, o));
        } else if (!exception.cancelled) {
          all.add(exception.json);
        } else if (showDeleted) {
          all.add(exception.tombstone());
        }
      }
    }
    int from = 0;
    if (pageToken != null) {
      from = (int) Math.min(Cursor.decode(pageToken).main(), all.size());
    }
    int to = Math.min(all.size(), from + maxResults);
    String next =
        to < all.size() ? new Cursor('X', data.epoch, data.seq, -1, to, 0).encode() : null;
    return new ListResult(new ArrayList<>(all.subList(from, to)), next, null);
  }
}
