package io.calsync.contract.kafka;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A Google event as the platform publishes it. {@code id} is Google's event id; {@code status} is
 * {@code confirmed}, {@code tentative} or {@code cancelled}; {@code recurrence} holds the series'
 * RFC 5545 {@code RRULE}/{@code EXRULE}/{@code RDATE}/{@code EXDATE} lines (masters only); {@code
 * updated} is Google's last-modified time, which orders versions of the same event.
 */
public record EventPayload(
    String id,
    String status,
    String title,
    String description,
    String location,
    EventTime start,
    EventTime end,
    List<String> recurrence,
    String recurringEventId,
    EventTime originalStart,
    String htmlLink,
    OffsetDateTime updated,
    String etag,
    String icalUid) {}
