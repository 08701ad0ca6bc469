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

  /** The fingerprint of an events.list query, which its page tokens carry. */
  private int binding(ListQuery q) {
    return ListTokens.binding(
        data,
        q.syncToken(),
        q.showDeleted(),
        q.singleEvents(),
        q.timeMin(),
        q.timeMax(),
        q.orderBy(),
        q.updatedMin(),
        q.q(),
        q.iCalUID(),
        q.privateExtendedProperty(),
        q.sharedExtendedProperty(),
        q.eventTypes(),
        q.timeZone());
  }

  /** events.list. */
  ListResult list(ListQuery q, Instant now) {
    Cursor cursor;
    int binding = binding(q);
    if (q.pageToken() != null) {
      cursor = Cursor.decode(q.pageToken(), binding);
      if (cursor.mode() == 'I' && cursor.epoch() != data.epoch) {
        throw ApiException.fullSyncRequired();
      }
    } else if (q.syncToken() != null) {
      long at = ListTokens.decodeSyncToken(data, q.syncToken());
      cursor = new Cursor('I', data.epoch, data.seq, at, at + 1, 0, binding);
    } else if (q.orderBy() != null) {
      cursor = new Cursor('O', data.epoch, data.seq, -1, 0, 0, binding);
    } else {
      cursor = new Cursor('F', data.epoch, data.seq, -1, 1, 0, binding);
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
            new Cursor('F', cursor.epoch(), cursor.snapshot(), -1, row.ordinal, 0, cursor.binding())
                .encode(),
            null);
      }
      int from = row.ordinal == cursor.main() ? cursor.sub() : 0;
      List<ObjectNode> items = itemsFor(row, q, false, horizon, needed(from, q, page));
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(
              page,
              new Cursor(
                      'F', cursor.epoch(), cursor.snapshot(), -1, row.ordinal, i, cursor.binding())
                  .encode(),
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
      int from = row.changeSeq == cursor.main() ? cursor.sub() : 0;
      List<ObjectNode> items = itemsFor(row, q, true, horizon, needed(from, q, page));
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(
              page,
              new Cursor(
                      'I',
                      cursor.epoch(),
                      cursor.snapshot(),
                      cursor.tokenSeq(),
                      row.changeSeq,
                      i,
                      cursor.binding())
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
      all.addAll(itemsFor(row, q, false, horizon, Recurrence.MAX_OCCURRENCES));
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
            ? new Cursor('O', cursor.epoch(), cursor.snapshot(), -1, to, 0, cursor.binding())
                .encode()
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

  /**
   * How many of a row's items a page needs: those it skips (already on earlier pages), those that
   * fill it, and one more to tell whether the row goes on. An expanded series is only expanded that
   * far, so a series with thousands of instances in the window costs a page no more than it shows.
   */
  private static int needed(int skipped, ListQuery q, List<ObjectNode> page) {
    return skipped + (q.maxResults() - page.size()) + 1;
  }

  /**
   * The list items one stored row contributes (0..n; n > 1 only for an expanded series, whose
   * instances are expanded up to {@code limit}).
   */
  private List<ObjectNode> itemsFor(
      StoredEvent row, ListQuery q, boolean incremental, Instant horizon, int limit) {
    List<ObjectNode> items = itemsForRow(row, q, incremental, horizon, limit);
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
      StoredEvent row, ListQuery q, boolean incremental, Instant horizon, int limit) {
    if (row.isSeries() && q.singleEvents()) {
      if (!incremental && !matchesFilters(row, q)) {
        return List.of();
      }
      Map<String, StoredEvent> own = data.exceptions.getOrDefault(row.id, Map.of());
      // Exceptions replace instances: expand that many more so that the limit is still met.
      int instances = (int) Math.min(Integer.MAX_VALUE, (long) limit + own.size());
      List<Occurrences.Occurrence> expanded =
          occurrences.between(row, incremental ? null : q.timeMin(), horizon, instances, false);
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
        // Any occurrence in the window, however long ago the series started (the expansion
        // skips ahead to timeMin).
        Instant until = q.timeMax() != null ? q.timeMax() : CalendarData.END_OF_TIME;
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
    int binding = ListTokens.binding(data, seriesId, showDeleted, timeMin, timeMax);
    int from = 0;
    if (pageToken != null) {
      from = (int) Math.min(Cursor.decode(pageToken, binding).main(), all.size());
    }
    int to = Math.min(all.size(), from + maxResults);
    String next =
        to < all.size() ? new Cursor('X', data.epoch, data.seq, -1, to, 0, binding).encode() : null;
    return new ListResult(new ArrayList<>(all.subList(from, to)), next, null);
  }
}
