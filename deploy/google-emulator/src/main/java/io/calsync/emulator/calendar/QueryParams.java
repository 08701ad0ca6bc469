package io.calsync.emulator.calendar;

import io.calsync.emulator.support.ApiException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Query parameters of the Calendar API: numbers, booleans and the whole events.list query. */
final class QueryParams {

  private static final List<String> FORBIDDEN_WITH_SYNC_TOKEN =
      List.of(
          "iCalUID",
          "orderBy",
          "privateExtendedProperty",
          "q",
          "sharedExtendedProperty",
          "timeMin",
          "timeMax",
          "updatedMin");

  private QueryParams() {}

  /** The validated parameters of an events.list request; 400 for the first invalid one. */
  static ListQuery listQuery(ServerRequest request) {
    var params = request.queryParams();
    String syncToken = params.getFirst("syncToken");
    if (syncToken != null) {
      for (String forbidden : FORBIDDEN_WITH_SYNC_TOKEN) {
        if (params.containsKey(forbidden)) {
          throw ApiException.badRequest(
              "invalid",
              "The " + forbidden + " parameter cannot be used with a sync token.",
              forbidden);
        }
      }
    }
    int maxResults = intParam(request, "maxResults", 250, 1, 2500);
    boolean singleEvents = boolParam(request, "singleEvents");
    String orderBy = params.getFirst("orderBy");
    if (orderBy != null) {
      if (!orderBy.equals("startTime") && !orderBy.equals("updated")) {
        throw ApiException.badRequest("invalid", "Invalid value for orderBy.", "orderBy");
      }
      if (orderBy.equals("startTime") && !singleEvents) {
        throw ApiException.badRequest(
            "badRequest",
            "The requested ordering is not available for the particular query.",
            "orderBy");
      }
    }
    TimeRange range = timeRange(params);
    Instant updatedMin = timestamp(params, "updatedMin");
    Set<String> eventTypes = new LinkedHashSet<>();
    List<String> types = params.get("eventTypes");
    if (types != null) {
      types.forEach(t -> eventTypes.addAll(List.of(t.split(","))));
    }
    String timeZone = params.getFirst("timeZone");
    if (timeZone != null) {
      try {
        java.time.ZoneId.of(timeZone);
      } catch (java.time.DateTimeException e) {
        throw ApiException.badRequest("invalid", "Invalid time zone.", "timeZone");
      }
    }
    return new ListQuery(
        maxResults,
        params.getFirst("pageToken"),
        syncToken,
        boolParam(request, "showDeleted"),
        singleEvents,
        range.min(),
        range.max(),
        orderBy,
        updatedMin,
        params.getFirst("q"),
        params.getFirst("iCalUID"),
        params.get("privateExtendedProperty"),
        params.get("sharedExtendedProperty"),
        eventTypes,
        timeZone);
  }

  static int intParam(ServerRequest request, String name, int defaultValue, int min, int max) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.get().trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "invalid",
          "Invalid value '"
              + raw.get()
              + "'. Values must "
              + "match the following regular expression: '[0-9]+'",
          name);
    }
    if (value < min) {
      throw ApiException.badRequest(
          "invalid",
          "Invalid value '"
              + value
              + "'. Values must be "
              + "within the range: ["
              + min
              + ", "
              + max
              + "]",
          name);
    }
    return Math.min(value, max);
  }

  static boolean boolParam(ServerRequest request, String name) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return false;
    }
    return switch (raw.get()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiException.badRequest(
              "invalid", "Invalid boolean value: '" + raw.get() + "'.", name);
    };
  }

  /** {@code timeMin} and {@code timeMax} of a list or instances query; either may be absent. */
  record TimeRange(Instant min, Instant max) {}

  /** Both bounds, checked as Google does: an empty range is a 400 naming {@code timeMax}. */
  static TimeRange timeRange(MultiValueMap<String, String> params) {
    Instant timeMin = timestamp(params, "timeMin");
    Instant timeMax = timestamp(params, "timeMax");
    if (timeMin != null && timeMax != null && !timeMax.isAfter(timeMin)) {
      throw new ApiException(
          400,
          "calendar",
          "timeRangeEmpty",
          "The specified time range is empty.",
          "parameter",
          "timeMax");
    }
    return new TimeRange(timeMin, timeMax);
  }

  private static Instant timestamp(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    return value == null ? null : EventTime.parseQueryTimestamp(value, name);
  }
}
