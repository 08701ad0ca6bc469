package io.calsync.contract.http;

import java.util.List;
import java.util.UUID;

/** {@code 202} answer of {@code POST /api/calendar/sync/}. */
public record SyncRequestedResponse(List<Requested> requested) {

  /** A connection whose sync was queued (or joined a sync already queued). */
  public record Requested(UUID connectionId, String state) {}
}
