package io.calsync.sync.model;

/**
 * An owed run, as claimed: {@code wide} when a connection-wide trigger is among those it covers
 * (calendar list and every selected calendar), false when only pushes are; {@code trigger} what
 * made it owed.
 */
public record PendingRun(boolean wide, SyncTrigger trigger) {}
