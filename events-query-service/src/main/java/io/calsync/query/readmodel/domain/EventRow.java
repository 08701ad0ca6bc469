package io.calsync.query.readmodel.domain;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A row of {@code events}: an event, a series master ({@code recurrence} set), an exception of a
 * series ({@code recurringEventId} set) or a tombstone ({@code deleted}). A timed start or end is
 * an instant with the offset it was written with, an all-day one a date. {@code sourceUpdated} is
 * Google's {@code updated}; {@code generation} the newest snapshot that delivered the row; {@code
 * seriesEnd*} where a finite series ends.
 */
public record EventRow(
    UUID connectionId,
    UUID calendarId,
    String eventId,
    String userId,
    String status,
    String title,
    String description,
    String location,
    OffsetDateTime startAt,
    Integer startOffsetSeconds,
    LocalDate startDate,
    String startTimeZone,
    OffsetDateTime endAt,
    Integer endOffsetSeconds,
    LocalDate endDate,
    String endTimeZone,
    boolean allDay,
    List<String> recurrence,
    String recurringEventId,
    OffsetDateTime originalStartAt,
    LocalDate originalStartDate,
    String htmlLink,
    OffsetDateTime sourceUpdated,
    String etag,
    long generation,
    boolean deleted,
    OffsetDateTime seriesEndAt,
    LocalDate seriesEndDate) {

  EventRow withGeneration(long newGeneration) {
    return new EventRow(
        connectionId,
        calendarId,
        eventId,
        userId,
        status,
        title,
        description,
        location,
        startAt,
        startOffsetSeconds,
        startDate,
        startTimeZone,
        endAt,
        endOffsetSeconds,
        endDate,
        endTimeZone,
        allDay,
        recurrence,
        recurringEventId,
        originalStartAt,
        originalStartDate,
        htmlLink,
        sourceUpdated,
        etag,
        newGeneration,
        deleted,
        seriesEndAt,
        seriesEndDate);
  }
}
