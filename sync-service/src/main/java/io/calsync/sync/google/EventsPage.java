package io.calsync.sync.google;

import io.calsync.contract.kafka.EventPayload;
import java.util.List;

/**
 * One page of {@code events.list}, mapped to the contract: Google sets {@code nextPageToken} on
 * every page but the last, and {@code nextSyncToken} only on the last one.
 */
public record EventsPage(List<EventPayload> items, String nextPageToken, String nextSyncToken) {

  /** Google's status of a deleted event, or of a cancelled instance of a series. */
  public static final String CANCELLED = "cancelled";

  public static boolean cancelled(EventPayload event) {
    return CANCELLED.equals(event.status());
  }
}
