package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Ids;
import io.calsync.emulator.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One calendar and its events. Every method is synchronized on the calendar: a calendar is the unit
 * of consistency (its change sequence numbers drive sync tokens).
 */
public final class CalendarData {

  /**
   * Full listings never cross a multiple of this many stored rows in one page, so pages can be
   * shorter than maxResults while more exist (as at Google).
   */
  static final int SHARD = 1000;
  /** How far ahead an open-ended series is expanded when no timeMax is given. */
  static final Duration EXPANSION_HORIZON = Duration.ofDays(730);

  private static final Set<String> READ_ONLY = Set.of("kind", "etag", "id", "htmlLink", "created",
      "updated", "creator", "recurringEventId", "originalStartTime", "iCalUID");

  private final String id;
  private final String owner;
  private final boolean primary;
  private String summary;
  private String description;
  private final String timeZone;
  private final ZoneId zone;
  private Instant updated;
  private boolean deleted;

  private long seq;
  private long ordinals;
  private int epoch;
  private final Map<String, StoredEvent> events = new HashMap<>();
  private final NavigableMap<Long, StoredEvent> byOrdinal = new TreeMap<>();
  private final NavigableMap<Long, StoredEvent> bySeq = new TreeMap<>();
  /** series id → (instance id → exception). */
  private final Map<String, Map<String, StoredEvent>> exceptions = new HashMap<>();

  CalendarData(String id, String owner, boolean primary, String summary, String description,
      String timeZone, Instant now) {
    this.id = id;
    this.owner = owner;
    this.primary = primary;
    this.summary = summary;
    this.description = description;
    this.timeZone = timeZone;
    this.zone = ZoneId.of(timeZone);
    this.updated = now;
  }

  public String id() {
    return id;
  }

  public String owner() {
    return owner;
  }

  public boolean primary() {
    return primary;
  }

  public synchronized boolean deleted() {
    return deleted;
  }

  synchronized void markDeleted() {
    deleted = true;
  }

  String timeZone() {
    return timeZone;
  }

  synchronized String summary() {
    return summary;
  }

  synchronized String description() {
    return description;
  }

  synchronized String etag() {
    return "\"" + (updated.toEpochMilli() * 1000 + seq % 1000) + "\"";
  }

  synchronized Instant updated() {
    return updated;
  }

  public synchronized long sequence() {
    return seq;
  }

  /** Every older sync token of this calendar now answers 410 fullSyncRequired. */
  public synchronized void invalidateSyncTokens() {
    epoch++;
  }

  public synchronized int eventCount() {
    return events.size();
  }

  // ------------------------------------------------------------------ resource JSON

  ObjectNode calendarJson() {
    ObjectNode node = Json.object();
    node.put("kind", "calendar#calendar");
    node.put("etag", etag());
    node.put("id", id);
    node.put("summary", summary());
    if (description() != null) {
      node.put("description", description());
    }
    node.put("timeZone", timeZone);
    node.putObject("conferenceProperties").putArray("allowedConferenceSolutionTypes")
        .add("hangoutsMeet");
    return node;
  }

  private String etagFor(Instant at) {
    return "\"" + (at.toEpochMilli() * 1000 + seq % 1000) + "\"";
  }

  private String htmlLink(String eventId) {
    String eid = Base64.getUrlEncoder().withoutPadding()
        .encodeToString((eventId + " " + id).getBytes(StandardCharsets.UTF_8));
    return "https://www.google.com/calendar/event?eid=" + eid;
  }

  /** Builds the stored resource from client fields plus the server-owned ones. */
  private ObjectNode compose(String eventId, JsonNode fields, Instant created, Instant now,
      int sequence, String recurringEventId, EventTime originalStart, String iCalUID) {
    ObjectNode node = Json.object();
    node.put("kind", "calendar#event");
    node.put("etag", etagFor(now));
    node.put("id", eventId);
    String status = Json.text(fields, "status");
    node.put("status", status == null ? "confirmed" : status);
    node.put("htmlLink", htmlLink(eventId));
    node.put("created", Json.timestamp(created));
    node.put("updated", Json.timestamp(now));
    for (Map.Entry<String, JsonNode> field : fields.properties()) {
      String name = field.getKey();
      if (READ_ONLY.contains(name) || name.equals("status") || name.equals("sequence")
          || name.equals("organizer") || field.getValue().isNull()) {
        continue;
      }
      node.set(name, field.getValue());
    }
    ObjectNode creator = node.putObject("creator");
    creator.put("email", owner);
    creator.put("self", true);
    ObjectNode organizer = node.putObject("organizer");
    organizer.put("email", id);
    if (!primary) {
      organizer.put("displayName", summary);
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
      throw ApiException.badRequest("invalid",
          "The start and end times must either both be date or both be dateTime.", null);
    }
    if (start.allDay() ? !end.date().isAfter(start.date())
        : end.dateTime().toInstant().isBefore(start.dateTime().toInstant())) {
      throw new ApiException(400, "calendar", "timeRangeEmpty", "The specified time range is empty.",
          null, null);
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
      bySeq.remove(event.changeSeq);
    }
    event.changeSeq = ++seq;
    event.updated = now;
    bySeq.put(event.changeSeq, event);
    updated = now;
  }

  private StoredEvent newRow(String eventId) {
    StoredEvent row = new StoredEvent(eventId, ++ordinals);
    events.put(eventId, row);
    byOrdinal.put(row.ordinal, row);
    return row;
  }

  // ------------------------------------------------------------------ writes

  /** events.insert. */
  public synchronized ObjectNode insert(ObjectNode body, Instant now) {
    String eventId = Json.text(body, "id");
    if (eventId != null) {
      if (!Ids.isBase32hex(eventId)) {
        throw ApiException.badRequest("invalid", "Invalid resource id value.", null);
      }
      if (events.containsKey(eventId)) {
        throw new ApiException(409, "global", "duplicate", "The requested identifier already exists.",
            null, null);
      }
    } else {
      do {
        eventId = Ids.base32hex(26);
      } while (events.containsKey(eventId));
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
  synchronized int insertAll(List<ObjectNode> bodies, java.util.random.RandomGenerator random,
      Instant now) {
    int created = 0;
    for (ObjectNode body : bodies) {
      String eventId;
      do {
        eventId = Ids.base32hex(26, random);
      } while (events.containsKey(eventId));
      insertValidated(eventId, body, now, eventId + "@google.com");
      created++;
    }
    return created;
  }

  /** events.get (cancelled events are returned too). */
  public synchronized ObjectNode get(String eventId) {
    StoredEvent row = events.get(eventId);
    if (row != null) {
      return row.json;
    }
    InstanceRef ref = resolveInstance(eventId);
    return instanceJson(ref.series(), ref.start());
  }

  /** events.patch: the fields sent replace the stored ones; null clears a field. */
  public synchronized ObjectNode patch(String eventId, ObjectNode body, String ifMatch,
      Instant now) {
    return write(eventId, body, ifMatch, now, true);
  }

  /** events.update: the body replaces the resource. */
  public synchronized ObjectNode update(String eventId, ObjectNode body, String ifMatch,
      Instant now) {
    return write(eventId, body, ifMatch, now, false);
  }

  private ObjectNode write(String eventId, ObjectNode body, String ifMatch, Instant now,
      boolean patch) {
    StoredEvent row = events.get(eventId);
    ObjectNode current;
    String recurringEventId = null;
    EventTime originalStart = null;
    if (row == null) {
      InstanceRef ref = resolveInstance(eventId);
      current = instanceJson(ref.series(), ref.start());
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
    ObjectNode json = compose(eventId, fields, created, now, sequence, recurringEventId,
        originalStart, iCalUID);
    if (row == null) {
      row = newRow(eventId);
      row.recurringEventId = recurringEventId;
      row.originalStart = originalStart;
      exceptions.computeIfAbsent(recurringEventId, k -> new LinkedHashMap<>()).put(eventId, row);
    }
    List<Occurrence> before = row.isSeries() && sequence != current.path("sequence").asInt(0)
        ? occurrences(row, null, now.plus(EXPANSION_HORIZON), Recurrence.MAX_OCCURRENCES, false)
        : List.of();
    row.json = json;
    row.derive();
    if (!before.isEmpty()) {
      retire(row, before, now);
    }
    store(row, now);
    return json;
  }

  /** events.delete: a tombstone stays (status cancelled); an instance id becomes a cancelled exception. */
  public synchronized void delete(String eventId, String ifMatch, Instant now) {
    StoredEvent row = events.get(eventId);
    if (row == null) {
      InstanceRef ref = resolveInstance(eventId);
      ObjectNode instance = instanceJson(ref.series(), ref.start());
      checkIfMatch(instance, ifMatch);
      instance.put("status", "cancelled");
      instance.put("updated", Json.timestamp(now));
      instance.put("etag", etagFor(now));
      row = newRow(eventId);
      row.recurringEventId = ref.series().id;
      row.originalStart = ref.start();
      exceptions.computeIfAbsent(row.recurringEventId, k -> new LinkedHashMap<>()).put(eventId, row);
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
      for (StoredEvent exception : exceptions.getOrDefault(row.id, Map.of()).values()) {
        if (!exception.cancelled) {
          cancel(exception, now);
        }
      }
    }
  }

  /** Remembers the instances an edit of a series made disappear. */
  private void retire(StoredEvent row, List<Occurrence> before, Instant now) {
    java.util.Set<String> remaining = new java.util.HashSet<>();
    if (row.isSeries()) {
      for (Occurrence o : occurrences(row, null, now.plus(EXPANSION_HORIZON),
          Recurrence.MAX_OCCURRENCES, false)) {
        remaining.add(o.start().instanceSuffix());
      }
    }
    for (Occurrence o : before) {
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

  // ------------------------------------------------------------------ recurrence

  /** A virtual instance of a live series: where the rule put it. */
  record InstanceRef(StoredEvent series, EventTime start) {}

  /** Resolves {@code <seriesId>_<yyyyMMdd'T'HHmmss'Z'>} or {@code _<yyyyMMdd>}; 404 otherwise. */
  private InstanceRef resolveInstance(String eventId) {
    int underscore = eventId.lastIndexOf('_');
    if (underscore <= 0) {
      throw ApiException.notFound();
    }
    StoredEvent series = events.get(eventId.substring(0, underscore));
    if (series == null || !series.isSeries() || series.cancelled) {
      throw ApiException.notFound();
    }
    String suffix = eventId.substring(underscore + 1);
    try {
      if (series.start.allDay()) {
        LocalDate date = LocalDate.parse(suffix, EventTime.DATE_SUFFIX);
        for (Occurrence o : occurrences(series, date.atStartOfDay(zone).toInstant(),
            date.plusDays(1).atStartOfDay(zone).toInstant(), Integer.MAX_VALUE, true)) {
          if (o.start().date().equals(date)) {
            return new InstanceRef(series, o.start());
          }
        }
      } else {
        Instant at = LocalDateTime.parse(suffix,
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
            .toInstant(ZoneOffset.UTC);
        for (Occurrence o : occurrences(series, at, at.plusSeconds(1), Integer.MAX_VALUE, true)) {
          if (o.start().dateTime().toInstant().equals(at)) {
            return new InstanceRef(series, o.start());
          }
        }
      }
    } catch (DateTimeParseException e) {
      throw ApiException.notFound();
    }
    throw ApiException.notFound();
  }

  /** One occurrence of a series: the rule's start and the computed end. */
  record Occurrence(EventTime start, EventTime end) {}

  /**
   * Occurrences of a series with start strictly before {@code windowEnd}, and (when
   * {@code byStart}) start at or after {@code windowStart}, otherwise end after it.
   */
  private List<Occurrence> occurrences(StoredEvent series, Instant windowStart, Instant windowEnd,
      int limit, boolean byStart) {
    List<Occurrence> result = new ArrayList<>();
    if (series.start.allDay()) {
      long days = ChronoUnit.DAYS.between(series.start.date(), series.end.date());
      LocalDate until = windowEnd.atZone(zone).toLocalDate().plusDays(1);
      LocalDate from = windowStart == null ? null
          : windowStart.atZone(zone).toLocalDate().minusDays(days + 1);
      for (LocalDate date : series.rule.allDay(series.start.date(), from, until,
          Recurrence.MAX_OCCURRENCES)) {
        Instant s = date.atStartOfDay(zone).toInstant();
        Instant e = date.plusDays(days).atStartOfDay(zone).toInstant();
        if (!s.isBefore(windowEnd)) {
          break;
        }
        if (windowStart != null && (byStart ? s.isBefore(windowStart) : !e.isAfter(windowStart))) {
          continue;
        }
        result.add(new Occurrence(new EventTime(date, null, series.start.timeZone()),
            new EventTime(date.plusDays(days), null, series.end.timeZone())));
        if (result.size() >= limit) {
          break;
        }
      }
      return result;
    }
    ZoneId seriesZone = series.start.zone(zone);
    ZoneId endZone = series.end.zone(seriesZone);
    ZonedDateTime first = series.start.dateTime().atZoneSameInstant(seriesZone);
    Duration length = Duration.between(series.start.dateTime(), series.end.dateTime());
    Instant from = windowStart == null ? null
        : byStart ? windowStart : windowStart.minus(length);
    for (ZonedDateTime s : series.rule.timed(first, from, windowEnd, Recurrence.MAX_OCCURRENCES)) {
      Instant e = s.toInstant().plus(length);
      if (windowStart != null
          && (byStart ? s.toInstant().isBefore(windowStart) : !e.isAfter(windowStart))) {
        continue;
      }
      result.add(new Occurrence(
          new EventTime(null, s.toOffsetDateTime(), series.start.timeZone()),
          new EventTime(null, e.atZone(endZone).toOffsetDateTime(), series.end.timeZone())));
      if (result.size() >= limit) {
        break;
      }
    }
    return result;
  }

  private ObjectNode instanceJson(StoredEvent series, EventTime originalStart) {
    EventTime start = originalStart;
    EventTime end;
    if (start.allDay()) {
      long days = ChronoUnit.DAYS.between(series.start.date(), series.end.date());
      end = new EventTime(start.date().plusDays(days), null, series.end.timeZone());
    } else {
      Duration length = Duration.between(series.start.dateTime(), series.end.dateTime());
      ZoneId endZone = series.end.zone(series.start.zone(zone));
      end = new EventTime(null,
          start.dateTime().toInstant().plus(length).atZone(endZone).toOffsetDateTime(),
          series.end.timeZone());
    }
    return instanceJson(series, new Occurrence(start, end));
  }

  private ObjectNode instanceJson(StoredEvent series, Occurrence occurrence) {
    String instanceId = series.id + "_" + occurrence.start().instanceSuffix();
    ObjectNode node = Json.object();
    for (Map.Entry<String, JsonNode> f : series.json.properties()) {
      switch (f.getKey()) {
        case "recurrence" -> { }
        case "id" -> node.put("id", instanceId);
        case "htmlLink" -> node.put("htmlLink", htmlLink(instanceId));
        case "start" -> node.set("start", occurrence.start().toJson());
        case "end" -> node.set("end", occurrence.end().toJson());
        default -> node.set(f.getKey(), f.getValue());
      }
      if (f.getKey().equals("organizer")) {
        node.put("recurringEventId", series.id);
        node.set("originalStartTime", occurrence.start().toJson());
      }
    }
    if (!node.has("recurringEventId")) {
      node.put("recurringEventId", series.id);
      node.set("originalStartTime", occurrence.start().toJson());
    }
    return node;
  }

  // ------------------------------------------------------------------ events.list

  private record Cursor(char mode, int epoch, long snapshot, long tokenSeq, long main, int sub) {

    String encode() {
      String raw = "p1|" + mode + "|" + epoch + "|" + snapshot + "|" + tokenSeq + "|" + main + "|" + sub;
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String token) {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String[] p = raw.split("\\|");
        if (p.length != 7 || !p[0].equals("p1")) {
          throw new IllegalArgumentException();
        }
        return new Cursor(p[1].charAt(0), Integer.parseInt(p[2]), Long.parseLong(p[3]),
            Long.parseLong(p[4]), Long.parseLong(p[5]), Integer.parseInt(p[6]));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
      }
    }
  }

  private String syncToken(long atSeq) {
    String raw = "s1|" + id + "|" + epoch + "|" + atSeq;
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The change sequence a sync token stands for; 410 fullSyncRequired when it is no longer valid. */
  private long decodeSyncToken(String token) {
    try {
      String raw = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
      int last = raw.lastIndexOf('|');
      int prev = raw.lastIndexOf('|', last - 1);
      if (!raw.startsWith("s1|") || prev < 3) {
        throw ApiException.fullSyncRequired();
      }
      String calendarId = raw.substring(3, prev);
      int tokenEpoch = Integer.parseInt(raw.substring(prev + 1, last));
      long at = Long.parseLong(raw.substring(last + 1));
      if (!calendarId.equals(id) || tokenEpoch != epoch || at > seq) {
        throw ApiException.fullSyncRequired();
      }
      return at;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw ApiException.fullSyncRequired();
    }
  }

  /** events.list. */
  public synchronized ListResult list(ListQuery q, Instant now) {
    Cursor cursor;
    if (q.pageToken() != null) {
      cursor = Cursor.decode(q.pageToken());
      if (cursor.mode() == 'I' && cursor.epoch() != epoch) {
        throw ApiException.fullSyncRequired();
      }
    } else if (q.syncToken() != null) {
      long at = decodeSyncToken(q.syncToken());
      cursor = new Cursor('I', epoch, seq, at, at + 1, 0);
    } else if (q.orderBy() != null) {
      cursor = new Cursor('O', epoch, seq, -1, 0, 0);
    } else {
      cursor = new Cursor('F', epoch, seq, -1, 1, 0);
    }
    if (q.syncToken() != null && cursor.mode() != 'I') {
      throw ApiException.badRequest("invalid", "Invalid page token value.", "pageToken");
    }
    Instant horizon = q.timeMax() != null ? q.timeMax() : now.plus(EXPANSION_HORIZON);
    return switch (cursor.mode()) {
      case 'O' -> listOrdered(q, cursor, horizon);
      case 'I' -> listIncremental(q, cursor, horizon);
      default -> listFull(q, cursor, horizon);
    };
  }

  private ListResult listFull(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> page = new ArrayList<>();
    long shardEnd = (cursor.main() / SHARD + 1) * SHARD;
    int scanned = 0;
    for (StoredEvent row : byOrdinal.tailMap(cursor.main(), true).values()) {
      // A page looks at no more than maxResults stored rows and never crosses a shard boundary:
      // rows filtered out (deleted, outside the window) make it short, as at Google.
      if (row.ordinal >= shardEnd || scanned++ == q.maxResults()) {
        return new ListResult(page, new Cursor('F', cursor.epoch(), cursor.snapshot(), -1,
            row.ordinal, 0).encode(), null);
      }
      List<ObjectNode> items = itemsFor(row, q, false, horizon);
      int from = row.ordinal == cursor.main() ? cursor.sub() : 0;
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(page, new Cursor('F', cursor.epoch(), cursor.snapshot(), -1,
              row.ordinal, i).encode(), null);
        }
        page.add(items.get(i));
      }
    }
    return new ListResult(page, null, syncToken(cursor.snapshot()));
  }

  private ListResult listIncremental(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> page = new ArrayList<>();
    for (StoredEvent row : bySeq.tailMap(cursor.main(), true).values()) {
      List<ObjectNode> items = itemsFor(row, q, true, horizon);
      int from = row.changeSeq == cursor.main() ? cursor.sub() : 0;
      for (int i = from; i < items.size(); i++) {
        if (page.size() == q.maxResults()) {
          return new ListResult(page, new Cursor('I', cursor.epoch(), cursor.snapshot(),
              cursor.tokenSeq(), row.changeSeq, i).encode(), null);
        }
        page.add(items.get(i));
      }
    }
    return new ListResult(page, null, syncToken(cursor.snapshot()));
  }

  private ListResult listOrdered(ListQuery q, Cursor cursor, Instant horizon) {
    List<ObjectNode> all = new ArrayList<>();
    for (StoredEvent row : byOrdinal.values()) {
      all.addAll(itemsFor(row, q, false, horizon));
    }
    Comparator<ObjectNode> order = "updated".equals(q.orderBy())
        ? Comparator.comparing((ObjectNode n) -> String.valueOf(Json.text(n, "updated")))
        : Comparator.comparing(this::startKey);
    all.sort(order.thenComparing(n -> String.valueOf(Json.text(n, "id"))));
    int from = (int) Math.min(cursor.main(), all.size());
    int to = Math.min(all.size(), from + q.maxResults());
    List<ObjectNode> page = new ArrayList<>(all.subList(from, to));
    String next = to < all.size()
        ? new Cursor('O', cursor.epoch(), cursor.snapshot(), -1, to, 0).encode() : null;
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
    return EventTime.parse(start, "start").instant(zone);
  }

  /** The list items one stored row contributes (0..n; n > 1 only for an expanded series). */
  private List<ObjectNode> itemsFor(StoredEvent row, ListQuery q, boolean incremental,
      Instant horizon) {
    List<ObjectNode> items = itemsForRow(row, q, incremental, horizon);
    if (!(incremental && q.singleEvents() && row.retired != null)) {
      return items;
    }
    List<ObjectNode> withRetired = new ArrayList<>(items);
    Map<String, StoredEvent> own = exceptions.getOrDefault(row.id, Map.of());
    for (Map.Entry<String, EventTime> gone : row.retired.entrySet()) {
      String instanceId = row.id + "_" + gone.getKey();
      if (!own.containsKey(instanceId)) {
        withRetired.add(cancelledInstance(row, instanceId, gone.getValue()));
      }
    }
    return withRetired;
  }

  private static ObjectNode cancelledInstance(StoredEvent series, String instanceId,
      EventTime originalStart) {
    ObjectNode tomb = Json.object();
    tomb.put("kind", "calendar#event");
    tomb.set("etag", series.json.get("etag"));
    tomb.put("id", instanceId);
    tomb.put("status", "cancelled");
    tomb.put("recurringEventId", series.id);
    tomb.set("originalStartTime", originalStart.toJson());
    return tomb;
  }

  private List<ObjectNode> itemsForRow(StoredEvent row, ListQuery q, boolean incremental,
      Instant horizon) {
    if (row.isSeries() && q.singleEvents()) {
      if (!incremental && !matchesFilters(row, q)) {
        return List.of();
      }
      List<Occurrence> occurrences = occurrences(row, incremental ? null : q.timeMin(),
          incremental ? horizon : horizon, Recurrence.MAX_OCCURRENCES, false);
      Map<String, StoredEvent> own = exceptions.getOrDefault(row.id, Map.of());
      List<ObjectNode> items = new ArrayList<>();
      for (Occurrence o : occurrences) {
        String instanceId = row.id + "_" + o.start().instanceSuffix();
        if (own.containsKey(instanceId)) {
          continue;
        }
        if (row.cancelled) {
          if (incremental) {
            items.add(cancelledInstance(row, instanceId, o.start()));
          }
        } else {
          items.add(instanceJson(row, o));
        }
      }
      return items;
    }
    if (row.cancelled) {
      boolean cancelledInstanceOfLiveSeries = row.isException() && !q.singleEvents()
          && events.containsKey(row.recurringEventId)
          && !events.get(row.recurringEventId).cancelled;
      // With updatedMin, deletions since then are always included.
      if (!(incremental || q.showDeleted() || q.updatedMin() != null
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
        Instant until = q.timeMax() != null ? q.timeMax()
            : row.start.instant(zone).plus(EXPANSION_HORIZON).plus(EXPANSION_HORIZON);
        if (occurrences(row, q.timeMin(), until, 1, false).isEmpty()) {
          return false;
        }
      } else {
        EventTime start = row.start;
        EventTime end = row.end;
        if (q.timeMin() != null && !end.instant(zone).isAfter(q.timeMin())) {
          return false;
        }
        if (q.timeMax() != null && !start.instant(zone).isBefore(q.timeMax())) {
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
      String haystack = (String.valueOf(Json.text(json, "summary")) + " "
          + String.valueOf(Json.text(json, "description")) + " "
          + String.valueOf(Json.text(json, "location"))).toLowerCase(Locale.ROOT);
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

  // ------------------------------------------------------------------ events.instances

  /** events.instances: the instances of one series (exceptions applied). */
  public synchronized ListResult instances(String seriesId, int maxResults, String pageToken,
      boolean showDeleted, Instant timeMin, Instant timeMax, Instant now) {
    StoredEvent series = events.get(seriesId);
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
      Instant horizon = timeMax != null ? timeMax : now.plus(EXPANSION_HORIZON);
      Map<String, StoredEvent> own = exceptions.getOrDefault(seriesId, Map.of());
      for (Occurrence o : occurrences(series, timeMin, horizon, Recurrence.MAX_OCCURRENCES, false)) {
        String instanceId = seriesId + "_" + o.start().instanceSuffix();
        StoredEvent exception = own.get(instanceId);
        if (exception == null) {
          all.add(instanceJson(series, o));
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
    String next = to < all.size() ? new Cursor('X', epoch, seq, -1, to, 0).encode() : null;
    return new ListResult(new ArrayList<>(all.subList(from, to)), next, null);
  }
}
