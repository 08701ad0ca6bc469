package io.calsync.sync.engine;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The sync engine's knobs.
 *
 * @param backstopInterval how long after a run a connection is due again without any other trigger
 * @param backstopTick how often the backstop looks for due connections (it only enqueues)
 * @param backstopInitialDelay the first look after start-up (picks up runs owed before a restart)
 * @param fullSyncWindow a full sync lists events ending after {@code now - fullSyncWindow}
 * @param eventsPageSize {@code maxResults} of {@code events.list} (Google's maximum is 2500)
 * @param calendarListPageSize {@code maxResults} of {@code calendarList.list} (maximum 250)
 * @param leaseTtl how long a sync lease lives without renewal (renewed on a heartbeat every third
 *     of it and before every publish); longer than three times the producer's delivery timeout
 * @param workerConcurrency how many connections sync at once in this instance
 * @param quotaPause how long a connection rests after Google's {@code quotaExceeded}
 * @param publicWebhookBaseUrl when set, watch channels are created for push notifications
 * @param channelTtl requested lifetime of a watch channel
 * @param channelRenewBefore a channel is replaced this long before it expires
 * @param pushDebounce notifications of one calendar within this window cause one sync
 * @param manualSyncInterval a connection accepts one manual sync ({@code POST /api/calendar/sync/})
 *     per this interval; a request that finds a sync already queued coalesces with it instead
 * @param wakeUpQueueCapacity how many connections this instance's worker queue holds (and how many
 *     delayed wake-ups wait); beyond it a wake-up is dropped and counted, its pending flag left for
 *     the backstop
 * @param maxConsecutiveRuns how many runs of one connection a worker slot does in a row before the
 *     connection, still owed a run, releases its lease and goes to the back of the queue
 * @param instanceName this instance's name in the owner of the leases it takes ({@code
 *     <name>/<run>}), so an operator sees which instance holds a connection; a random one when
 *     unset
 * @param failureRetry how long after a failed run (Kafka, the database, oauth-service or Google
 *     away) the connection is due again, instead of {@code backstopInterval}: the changes that run
 *     read but could not publish are fetched again once the infrastructure is back, without waiting
 *     for another trigger
 * @param unwatchedInterval how often the backstop syncs a calendar whose {@code events.watch}
 *     Google refused (holiday and other read-only calendars): such a calendar has no push, so it is
 *     synced on its own, more often than {@code backstopInterval}
 * @param rewatchAfter how long after Google refused {@code events.watch} on a calendar the platform
 *     asks again (a role or Google's support may change); runs before then do not ask
 */
@Validated
@ConfigurationProperties("calsync.sync")
public record SyncProperties(
    @NotNull @DefaultValue("PT15M") Duration backstopInterval,
    @NotNull @DefaultValue("PT15S") Duration backstopTick,
    @NotNull @DefaultValue("PT10S") Duration backstopInitialDelay,
    @NotNull @DefaultValue("P30D") Period fullSyncWindow,
    @Min(1) @Max(2500) @DefaultValue("2500") int eventsPageSize,
    @Min(1) @Max(250) @DefaultValue("250") int calendarListPageSize,
    @NotNull @DefaultValue("PT2M") Duration leaseTtl,
    @Min(1) @Max(64) @DefaultValue("4") int workerConcurrency,
    @NotNull @DefaultValue("PT1H") Duration quotaPause,
    String publicWebhookBaseUrl,
    @NotNull @DefaultValue("P7D") Duration channelTtl,
    @NotNull @DefaultValue("P1D") Duration channelRenewBefore,
    @NotNull @DefaultValue("PT2S") Duration pushDebounce,
    @NotNull @DefaultValue("PT30S") Duration manualSyncInterval,
    @Min(1) @DefaultValue("10000") int wakeUpQueueCapacity,
    @Min(1) @DefaultValue("3") int maxConsecutiveRuns,
    String instanceName,
    @NotNull @DefaultValue("PT1M") Duration failureRetry,
    @NotNull @DefaultValue("PT5M") Duration unwatchedInterval,
    @NotNull @DefaultValue("P1D") Duration rewatchAfter) {

  public boolean pushEnabled() {
    return publicWebhookBaseUrl != null && !publicWebhookBaseUrl.isBlank();
  }
}
