package io.calsync.sync.google.client;

import java.time.Instant;

/** A push channel Google accepted. */
public record WatchedChannel(String id, String resourceId, Instant expiresAt) {}
