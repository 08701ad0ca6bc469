package io.calsync.emulator.calendar;

import io.calsync.emulator.support.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * One calendar and its events. Every method is synchronized on the calendar: a calendar is the unit
 * of consistency (its change sequence numbers drive sync tokens). The work is done by {@link
 * EventWrites}, {@link EventListing} and {@link Occurrences}, which share this state and are only
 * called from here, under this monitor.
 */
public final class CalendarData {

  /**
   * Full listings never cross a multiple of this many stored rows in one page, so pages can be
   * shorter than maxResults while more exist (as at Google).
   */
  static final int SHARD = 1000;

  /** How far ahead an open-ended series is expanded when no timeMax is given. */
  static final Duration EXPANSION_HORIZON = Duration.ofDays(730);

  /** The upper bound of a window without timeMax. */
  static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

  final String id;
  final String owner;
  final boolean primary;
  String summary;
  private String description;
  private String timeZone;

  /** The calendar's zone: all-day dates and windows are read in it (read under this monitor). */
  ZoneId zone;

  Instant updated;
  private boolean deleted;
  private boolean refusesPush;
  private long revision;

  long seq;
  long ordinals;
  int epoch;
  final Map<String, StoredEvent> events = new HashMap<>();
  final NavigableMap<Long, StoredEvent> byOrdinal = new TreeMap<>();
  final NavigableMap<Long, StoredEvent> bySeq = new TreeMap<>();

  /** series id → (instance id → exception). */
  final Map<String, Map<String, StoredEvent>> exceptions = new HashMap<>();

  private final Occurrences occurrences = new Occurrences(this);
  private final EventWrites writes = new EventWrites(this, occurrences);
  private final EventListing listing = new EventListing(this, occurrences);

  CalendarData(
      String id,
      String owner,
      boolean primary,
      String summary,
      String description,
      String timeZone,
      Instant now) {
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

  public synchronized String timeZone() {
    return timeZone;
  }

  /** calendars.patch: the fields sent (summary, description, timeZone) replace the stored ones. */
  public synchronized void patchCalendar(
      String newSummary, String newDescription, String newTimeZone, Instant now) {
    if (newSummary != null) {
      summary = newSummary;
    }
    if (newDescription != null) {
      description = newDescription;
    }
    if (newTimeZone != null) {
      timeZone = newTimeZone;
      zone = ZoneId.of(newTimeZone);
    }
    updated = now;
    revision++;
  }

  /** Whether events.watch on this calendar answers 400 pushNotSupportedForRequestedResource. */
  public synchronized boolean refusesPush() {
    return refusesPush;
  }

  public synchronized void refusesPush(boolean refuses) {
    refusesPush = refuses;
  }

  synchronized String summary() {
    return summary;
  }

  synchronized String description() {
    return description;
  }

  synchronized String etag() {
    return "\"" + (updated.toEpochMilli() * 1000 + (seq + revision) % 1000) + "\"";
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
    node.put("timeZone", timeZone());
    node.putObject("conferenceProperties")
        .putArray("allowedConferenceSolutionTypes")
        .add("hangoutsMeet");
    return node;
  }

  String htmlLink(String eventId) {
    String eid =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString((eventId + " " + id).getBytes(StandardCharsets.UTF_8));
    return "https://www.google.com/calendar/event?eid=" + eid;
  }

  // ------------------------------------------------------------------ writes

  /** events.insert. */
  public synchronized ObjectNode insert(ObjectNode body, Instant now) {
    return writes.insert(body, now);
  }

  /** Fast path for seeding: bodies are trusted (built by the seeder). */
  synchronized int insertAll(
      List<ObjectNode> bodies, java.util.random.RandomGenerator random, Instant now) {
    return writes.insertAll(bodies, random, now);
  }

  /** events.patch: the fields sent replace the stored ones; null clears a field. */
  public synchronized ObjectNode patch(
      String eventId, ObjectNode body, String ifMatch, Instant now) {
    return writes.patch(eventId, body, ifMatch, now);
  }

  /** events.update: the body replaces the resource. */
  public synchronized ObjectNode update(
      String eventId, ObjectNode body, String ifMatch, Instant now) {
    return writes.update(eventId, body, ifMatch, now);
  }

  /**
   * events.delete: a tombstone stays (status cancelled); an instance id becomes a cancelled
   * exception.
   */
  public synchronized void delete(String eventId, String ifMatch, Instant now) {
    writes.delete(eventId, ifMatch, now);
  }

  // ------------------------------------------------------------------ reads

  /** events.get (cancelled events are returned too). */
  public synchronized ObjectNode get(String eventId) {
    return listing.get(eventId);
  }

  /** events.list. */
  public synchronized ListResult list(ListQuery q, Instant now) {
    return listing.list(q, now);
  }

  /** events.instances: the instances of one series (exceptions applied). */
  public synchronized ListResult instances(
      String seriesId,
      int maxResults,
      String pageToken,
      boolean showDeleted,
      Instant timeMin,
      Instant timeMax,
      Instant now) {
    return listing.instances(seriesId, maxResults, pageToken, showDeleted, timeMin, timeMax, now);
  }
}
