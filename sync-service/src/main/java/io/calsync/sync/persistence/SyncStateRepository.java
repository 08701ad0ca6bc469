package io.calsync.sync.persistence;

import io.calsync.sync.model.CalendarSyncState;
import io.calsync.sync.model.ConnectionSyncState;
import io.calsync.sync.model.PendingRun;
import io.calsync.sync.model.SyncTrigger;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Per-calendar and per-connection sync state. */
@Repository
public class SyncStateRepository {

  /**
   * A connection-wide trigger is stored unless a run is owed already by another one: it replaces
   * only a push (the run becomes connection-wide).
   */
  private static final String WIDE_TRIGGER =
      """
      pending_trigger = case when pending and pending_trigger is not null
        and pending_trigger <> 'push' then pending_trigger else :trigger end,""";

  /** A calendar of a connection that the backstop owes a sync. */
  public record DueCalendar(UUID connectionId, UUID calendarId) {}

  private final DatabaseClient db;

  SyncStateRepository(DatabaseClient db) {
    this.db = db;
  }

  // ---- calendars ----

  public Mono<CalendarSyncState> calendarState(UUID calendarId) {
    return db.sql("select * from calendar_sync_state where calendar_id = :id")
        .bind("id", calendarId)
        .map(SyncStateRepository::mapCalendar)
        .one()
        .defaultIfEmpty(
            new CalendarSyncState(calendarId, null, 0, "idle", null, null, null, 0, null));
  }

  public Flux<CalendarSyncState> calendarStates(UUID connectionId) {
    return db.sql(
            "select s.* from calendar_sync_state s join calendars c on c.id = s.calendar_id where c.connection_id = :conn")
        .bind("conn", connectionId)
        .map(SyncStateRepository::mapCalendar)
        .all();
  }

  /** The calendar's sync starts; it covers any push owed for the calendar until now. */
  public Mono<Void> calendarSyncing(UUID calendarId, Instant now) {
    return db.sql(
            "update calendar_sync_state set state = 'syncing', last_attempt_at = :now, push_pending = false where calendar_id = :id")
        .bind("id", calendarId)
        .bind("now", now)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Stores the outcome of a complete run whose every message Kafka acknowledged: the last page's
   * sync token, the generation, and (for a full sync) the snapshot's event count. A full resync
   * requested during the run ({@link #requestFullResync}) keeps the token null: the next run is a
   * full sync.
   */
  public Mono<Void> calendarSucceeded(
      UUID calendarId, String syncToken, long generation, Long eventCount, Instant now) {
    var spec =
        db.sql(
                """
                update calendar_sync_state
                  set sync_token = case when resync_requested then null else :token end,
                  generation = :gen, state = 'idle',
                  last_success_at = :now, last_error_code = null, last_error_message = null,
                  event_count = coalesce(:count, event_count)
                where calendar_id = :id
                """)
            .bind("id", calendarId)
            .bind("gen", generation)
            .bind("now", now);
    spec = syncToken == null ? spec.bindNull("token", String.class) : spec.bind("token", syncToken);
    spec = eventCount == null ? spec.bindNull("count", Long.class) : spec.bind("count", eventCount);
    return spec.fetch().rowsUpdated().then();
  }

  public Mono<Void> calendarFailed(UUID calendarId, String code, String message) {
    return db.sql(
            "update calendar_sync_state set state = 'error', last_error_code = :code, last_error_message = :msg where calendar_id = :id")
        .bind("id", calendarId)
        .bind("code", code)
        .bind("msg", message == null ? "" : message)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** A push notification owes the calendar an incremental sync (see {@link #markPushPending}). */
  public Mono<Void> markCalendarPushed(UUID calendarId) {
    return db.sql("update calendar_sync_state set push_pending = true where calendar_id = :id")
        .bind("id", calendarId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Google refused {@code events.watch} on the calendar for good (e.g. {@code
   * pushNotSupportedForRequestedResource}): the backstop syncs it every {@code unwatched-interval}.
   */
  public Mono<Void> markPushRefused(UUID calendarId, Instant now) {
    return db.sql("update calendar_sync_state set push_refused_at = :now where calendar_id = :id")
        .bind("id", calendarId)
        .bind("now", now)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Google accepted {@code events.watch} on the calendar (again). */
  public Mono<Void> clearPushRefused(UUID calendarId) {
    return db.sql(
            "update calendar_sync_state set push_refused_at = null where calendar_id = :id and push_refused_at is not null")
        .bind("id", calendarId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Calendars whose watch Google refused, that are due a backstop sync: selected, of an active
   * connection that is not paused or waiting for re-consent, not already owed a sync, and whose
   * last sync attempt began at or before {@code attemptedBefore}.
   */
  public Flux<DueCalendar> dueUnwatchedCalendars(Instant now, Instant attemptedBefore) {
    return db.sql(
            """
            select c.connection_id, c.id from calendar_sync_state s
              join calendars c on c.id = s.calendar_id
              join connections k on k.id = c.connection_id
              join connection_sync_state cs on cs.connection_id = c.connection_id
            where s.push_refused_at is not null and not s.push_pending
              and (s.last_attempt_at is null or s.last_attempt_at <= :before)
              and c.selected and not c.removed and k.status = 'active'
              and cs.state <> 'reauth_required'
              and (cs.paused_until is null or cs.paused_until <= :now)
            """)
        .bind("now", now)
        .bind("before", attemptedBefore)
        .map(r -> new DueCalendar(r.get("connection_id", UUID.class), r.get("id", UUID.class)))
        .all();
  }

  /** True when a push owes the calendar a sync that has not started yet. */
  public Mono<Boolean> isCalendarPushed(UUID calendarId) {
    return db.sql("select 1 from calendar_sync_state where calendar_id = :id and push_pending")
        .bind("id", calendarId)
        .map(r -> 1)
        .first()
        .hasElement();
  }

  /**
   * A full sync attempt begins: {@code generation} becomes the stored one before {@code
   * snapshot_started} is published, so a retry after a failure is a newer generation still (and
   * what the failed attempt published can be dropped). The sync token stays null until success.
   */
  public Mono<Void> fullSyncStarted(UUID calendarId, long generation) {
    return db.sql(
            "update calendar_sync_state set generation = :gen, sync_token = null, resync_requested = false where calendar_id = :id")
        .bind("id", calendarId)
        .bind("gen", generation)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** After a 410: the token is useless; the next run is a full sync. */
  public Mono<Void> dropSyncToken(UUID calendarId) {
    return db.sql("update calendar_sync_state set sync_token = null where calendar_id = :id")
        .bind("id", calendarId)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * An operator's full resync of a connection's calendars: their sync tokens are dropped (and kept
   * null by a run already under way, see {@link #calendarSucceeded}), so that the next run of each
   * is a full sync with a new generation, as after Google's 410. Returns how many calendars.
   */
  public Mono<Long> requestFullResync(UUID connectionId) {
    return db.sql(
            """
            update calendar_sync_state set sync_token = null, resync_requested = true
            where calendar_id in (select id from calendars where connection_id = :conn)
            """)
        .bind("conn", connectionId)
        .fetch()
        .rowsUpdated();
  }

  /** As {@link #requestFullResync}, for one calendar. */
  public Mono<Long> requestFullResyncOfCalendar(UUID calendarId) {
    return db.sql(
            "update calendar_sync_state set sync_token = null, resync_requested = true where calendar_id = :id")
        .bind("id", calendarId)
        .fetch()
        .rowsUpdated();
  }

  // ---- connections ----

  public Mono<ConnectionSyncState> connectionState(UUID connectionId) {
    return db.sql("select * from connection_sync_state where connection_id = :id")
        .bind("id", connectionId)
        .map(SyncStateRepository::mapConnection)
        .one();
  }

  /**
   * A trigger: marks one run as owed ({@code pending}) and shows {@code queued} unless a run is in
   * progress or the connection needs re-consent. Returns the state, empty for an unknown
   * connection. The trigger is kept with the flag unless one is owed already ({@link
   * #WIDE_TRIGGER}).
   */
  public Mono<ConnectionSyncState> markPending(UUID connectionId, SyncTrigger trigger) {
    return db.sql(
            """
            update connection_sync_state set pending = true, wide_pending = true,
              %s
              state = case when state in ('idle', 'error') then 'queued' else state end
            where connection_id = :id and state <> 'reauth_required'
            returning *
            """
                .formatted(WIDE_TRIGGER))
        .bind("id", connectionId)
        .bind("trigger", trigger.label())
        .map(SyncStateRepository::mapConnection)
        .one();
  }

  /**
   * A push trigger: like {@link #markPending}, but owes a run only of the calendars marked with
   * {@link #markCalendarPushed} (no calendar list), unless a connection-wide trigger is owed too.
   */
  public Mono<ConnectionSyncState> markPushPending(UUID connectionId) {
    return markCalendarsPending(connectionId, SyncTrigger.PUSH);
  }

  /**
   * Like {@link #markPushPending}, for another trigger that owes a run of marked calendars only
   * (the backstop of calendars whose watch Google refused).
   */
  public Mono<ConnectionSyncState> markCalendarsPending(UUID connectionId, SyncTrigger trigger) {
    return db.sql(
            """
            update connection_sync_state set pending = true,
              pending_trigger = case when pending and pending_trigger is not null
                then pending_trigger else :trigger end,
              state = case when state in ('idle', 'error') then 'queued' else state end
            where connection_id = :id and state <> 'reauth_required'
            returning *
            """)
        .bind("id", connectionId)
        .bind("trigger", trigger.label())
        .map(SyncStateRepository::mapConnection)
        .one();
  }

  /**
   * A manual trigger ("sync now"), limited per connection: a connection whose sync is already owed
   * ({@code pending}) coalesces and keeps its window; otherwise it accepts the trigger only when
   * its last accepted manual sync was at or before {@code windowStart}, and records {@code now} as
   * the new one. Returns the state when the trigger was accepted or coalesced; empty when the
   * connection is unknown, needs re-consent, or is still in its window (tell them apart with {@link
   * #connectionState}).
   */
  public Mono<ConnectionSyncState> markManualPending(
      UUID connectionId, Instant now, Instant windowStart) {
    return db.sql(
            """
            update connection_sync_state set
              manual_requested_at = case when pending then manual_requested_at else :now end,
              pending = true, wide_pending = true,
              %s
              state = case when state in ('idle', 'error') then 'queued' else state end
            where connection_id = :id and state <> 'reauth_required'
              and (pending or manual_requested_at is null or manual_requested_at <= :windowStart)
            returning *
            """
                .formatted(WIDE_TRIGGER))
        .bind("id", connectionId)
        .bind("trigger", SyncTrigger.MANUAL.label())
        .bind("now", now)
        .bind("windowStart", windowStart)
        .map(SyncStateRepository::mapConnection)
        .one();
  }

  /**
   * Takes the owed run, if any, clearing {@code pending}: empty when none was owed; otherwise
   * whether a connection-wide trigger is among those it covers (else only pushes are: their marked
   * calendars), and what made it owed. A connection paused after Google's {@code quotaExceeded}
   * keeps its flag until the pause ended.
   */
  public Mono<PendingRun> claimPending(UUID connectionId, Instant now) {
    return db.sql(
            """
            update connection_sync_state s set pending = false, wide_pending = false,
              pending_trigger = null, state = 'syncing', last_attempt_at = :now
            from (select connection_id, wide_pending, pending_trigger from connection_sync_state
                  where connection_id = :id for update) o
            where s.connection_id = o.connection_id and s.pending and s.state <> 'reauth_required'
              and (s.paused_until is null or s.paused_until <= :now)
            returning o.wide_pending, o.pending_trigger
            """)
        .bind("id", connectionId)
        .bind("now", now)
        .map(
            r ->
                new PendingRun(
                    Boolean.TRUE.equals(r.get("wide_pending", Boolean.class)),
                    SyncTrigger.of(r.get("pending_trigger", String.class))))
        .first();
  }

  /** True when a run is owed and may start now (not paused). */
  public Mono<Boolean> isPending(UUID connectionId, Instant now) {
    return db.sql(
            """
            select 1 from connection_sync_state where connection_id = :id and pending
              and state <> 'reauth_required' and (paused_until is null or paused_until <= :now)
            """)
        .bind("id", connectionId)
        .bind("now", now)
        .map(r -> 1)
        .first()
        .hasElement();
  }

  /**
   * Writes the end of a run. A run that ended in reauth_required keeps that state; {@code
   * pausedUntil} (Google's {@code quotaExceeded}) holds every trigger until then, null otherwise.
   */
  public Mono<Void> connectionFinished(
      UUID connectionId,
      String state,
      Instant successAt,
      Instant nextSyncAt,
      Instant pausedUntil,
      String errorCode,
      String errorMessage) {
    var spec =
        db.sql(
                """
                update connection_sync_state set
                  state = case when pending and :state in ('idle', 'error') then 'queued' else :state end,
                  last_success_at = coalesce(:success, last_success_at),
                  next_sync_at = :next, paused_until = :paused, last_error_code = :code,
                  last_error_message = :msg
                where connection_id = :id
                """)
            .bind("id", connectionId)
            .bind("state", state)
            .bind("next", nextSyncAt);
    spec =
        successAt == null
            ? spec.bindNull("success", Instant.class)
            : spec.bind("success", successAt);
    spec =
        pausedUntil == null
            ? spec.bindNull("paused", Instant.class)
            : spec.bind("paused", pausedUntil);
    spec = errorCode == null ? spec.bindNull("code", String.class) : spec.bind("code", errorCode);
    spec =
        errorMessage == null ? spec.bindNull("msg", String.class) : spec.bind("msg", errorMessage);
    return spec.fetch().rowsUpdated().then();
  }

  public Mono<Void> connectionReauthRequired(UUID connectionId, String message) {
    return db.sql(
            """
            update connection_sync_state set state = 'reauth_required', pending = false,
              last_error_code = 'reauth_required', last_error_message = :msg where connection_id = :id
            """)
        .bind("id", connectionId)
        .bind("msg", message)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Connections the backstop should enqueue: due, or owed a run that no instance is doing (a live
   * lease is judged by the database's clock, as {@link LeaseRepository} does). A run still marked
   * {@code syncing} without a live lease was cut short (its instance died, or lost the lease and
   * could not record the outcome): it is owed again, whatever triggered it.
   */
  public Flux<UUID> dueConnections(Instant now) {
    return db.sql(
            """
            select s.connection_id from connection_sync_state s join connections k on k.id = s.connection_id
            where k.status = 'active' and s.state <> 'reauth_required'
              and (s.next_sync_at is null or s.next_sync_at <= :now or s.pending or s.state = 'syncing')
              and (s.paused_until is null or s.paused_until <= :now)
              and not exists (select 1 from sync_leases l where l.connection_id = s.connection_id and l.expires_at > clock_timestamp())
            """)
        .bind("now", now)
        .map(r -> r.get("connection_id", UUID.class))
        .all();
  }

  /** When the connection's quota pause ends; empty when it is not paused at {@code now}. */
  public Mono<Instant> pausedUntil(UUID connectionId, Instant now) {
    return db.sql(
            "select paused_until from connection_sync_state where connection_id = :id and paused_until > :now")
        .bind("id", connectionId)
        .bind("now", now)
        .map(r -> r.get("paused_until", OffsetDateTime.class).toInstant())
        .one();
  }

  private static CalendarSyncState mapCalendar(Readable r) {
    Long count = r.get("event_count", Long.class);
    Long gen = r.get("generation", Long.class);
    return new CalendarSyncState(
        r.get("calendar_id", UUID.class),
        r.get("sync_token", String.class),
        gen == null ? 0 : gen,
        r.get("state", String.class),
        r.get("last_success_at", OffsetDateTime.class),
        r.get("last_error_code", String.class),
        r.get("last_error_message", String.class),
        count == null ? 0 : count,
        r.get("push_refused_at", OffsetDateTime.class));
  }

  private static ConnectionSyncState mapConnection(Readable r) {
    return new ConnectionSyncState(
        r.get("connection_id", UUID.class),
        r.get("state", String.class),
        Boolean.TRUE.equals(r.get("pending", Boolean.class)),
        r.get("last_attempt_at", OffsetDateTime.class),
        r.get("last_success_at", OffsetDateTime.class),
        r.get("next_sync_at", OffsetDateTime.class),
        r.get("last_error_code", String.class),
        r.get("last_error_message", String.class),
        r.get("manual_requested_at", OffsetDateTime.class));
  }
}
