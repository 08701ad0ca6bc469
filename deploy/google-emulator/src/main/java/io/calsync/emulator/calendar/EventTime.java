package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An event's start or end: an all-day {@code date} or a {@code dateTime} (with offset), plus an
 * optional IANA {@code timeZone}.
 */
record EventTime(LocalDate date, OffsetDateTime dateTime, String timeZone) {

  static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
  static final DateTimeFormatter INSTANCE_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter DATE_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");

  boolean allDay() {
    return date != null;
  }

  /** The instant this time denotes; an all-day date is midnight in the given zone. */
  Instant instant(ZoneId calendarZone) {
    if (date != null) {
      return date.atStartOfDay(calendarZone).toInstant();
    }
    return dateTime.toInstant();
  }

  ZoneId zone(ZoneId fallback) {
    if (timeZone != null) {
      try {
        return ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        return fallback;
      }
    }
    return dateTime != null ? dateTime.getOffset() : fallback;
  }

  ObjectNode toJson() {
    ObjectNode node = Json.object();
    if (date != null) {
      node.put("date", date.toString());
    } else {
      node.put("dateTime", DATE_TIME.format(dateTime));
    }
    if (timeZone != null) {
      node.put("timeZone", timeZone);
    }
    return node;
  }

  /**
   * The suffix of an instance id starting at this time: {@code yyyyMMdd'T'HHmmss'Z'} or {@code
   * yyyyMMdd}.
   */
  String instanceSuffix() {
    return date != null ? DATE_SUFFIX.format(date) : INSTANCE_SUFFIX.format(dateTime.toInstant());
  }

  /** Parses {@code start}/{@code end}; 400 when malformed or lacking a zone. */
  static EventTime parse(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode() || !node.isObject()) {
      throw ApiException.required(
          field, field.equals("end") ? "Missing end time." : "Missing start time.");
    }
    String date = Json.text(node, "date");
    String dateTime = Json.text(node, "dateTime");
    String timeZone = Json.text(node, "timeZone");
    if (timeZone != null) {
      try {
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        throw ApiException.badRequest(
            "timeZoneInvalid", "Invalid time zone definition for " + field + " time.", null);
      }
    }
    if (date != null && dateTime != null) {
      throw ApiException.badRequest("invalid", "Invalid " + field + " time.", null);
    }
    if (date != null) {
      try {
        return new EventTime(LocalDate.parse(date), null, timeZone);
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("invalid", "Invalid " + field + " time.", null);
      }
    }
    if (dateTime == null) {
      throw ApiException.required(
          field, field.equals("end") ? "Missing end time." : "Missing start time.");
    }
    try {
      return new EventTime(null, OffsetDateTime.parse(dateTime), timeZone);
    } catch (DateTimeParseException e) {
      if (timeZone == null) {
        throw ApiException.required(field, "Missing time zone definition for " + field + " time.");
      }
      try {
        LocalDateTime local = LocalDateTime.parse(dateTime);
        return new EventTime(null, local.atZone(ZoneId.of(timeZone)).toOffsetDateTime(), timeZone);
      } catch (DateTimeParseException e2) {
        throw ApiException.badRequest("invalid", "Invalid " + field + " time.", null);
      }
    }
  }

  /** Parses an RFC 3339 query timestamp (milliseconds allowed, offset required). */
  static Instant parseQueryTimestamp(String value, String parameter) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("invalid", "Bad Request", parameter);
    }
  }
}
