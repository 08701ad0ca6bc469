package io.calsync.query.readmodel.domain;

/**
 * The stored rows a message of {@code calendar.event-changes.v1} is about, read in its transaction:
 * its connection, its calendar and (for an event message) its event; each null when none is stored.
 */
public record CurrentRows(ConnectionRow connection, CalendarRow calendar, EventRow event) {}
