package io.calsync.sync.google;

import java.time.Instant;

/** A push channel Google accepted. */
public record WatchedChannel(String id, String resourceId, Instant expiresAt) {}
