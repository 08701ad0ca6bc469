package io.calsync.sync.google;

import java.time.Instant;

/**
 * A push channel Google accepted; {@code expiresAt} is null when Google's answer named no expiry
 * (the caller then counts the requested time to live from its own clock).
 */
public record WatchedChannel(String id, String resourceId, Instant expiresAt) {}
