package io.calsync.contract.http;

import java.util.UUID;

/** {@code POST /api/calendar/sync/}: one connection, or all of the caller's when absent. */
public record SyncRequest(UUID connectionId) {}
