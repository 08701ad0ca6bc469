package io.calsync.query.upcoming.web;

import io.calsync.query.problem.ProblemException;
import io.calsync.query.upcoming.domain.UpcomingRequest;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;

/**
 * Reads {@code limit}, {@code days} and {@code tz} strictly: each at most once, numbers as plain
 * decimal digits within range, {@code tz} an IANA region id. Other parameters are ignored.
 */
final class UpcomingParameters {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

  private UpcomingParameters() {}

  static UpcomingRequest parse(MultiValueMap<String, String> query) {
    int limit = number(query, "limit", UpcomingRequest.DEFAULT_LIMIT, UpcomingRequest.MAX_LIMIT);
    int days = number(query, "days", UpcomingRequest.DEFAULT_DAYS, UpcomingRequest.MAX_DAYS);
    String tz = single(query, "tz");
    ZoneId zone;
    if (tz == null) {
      zone = ZoneId.of("UTC");
    } else if (ZONES.contains(tz)) {
      zone = ZoneId.of(tz);
    } else {
      throw ProblemException.invalidParameter(
          "tz", "tz must be an IANA time zone such as Europe/Berlin.");
    }
    return new UpcomingRequest(limit, days, zone);
  }

  private static int number(
      MultiValueMap<String, String> query, String name, int fallback, int max) {
    String value = single(query, name);
    if (value == null) {
      return fallback;
    }
    if (!DIGITS.matcher(value).matches()) {
      throw ProblemException.invalidParameter(
          name, name + " must be a whole number from 1 to " + max + ".");
    }
    int n = Integer.parseInt(value);
    if (n < 1 || n > max) {
      throw ProblemException.invalidParameter(name, name + " must be from 1 to " + max + ".");
    }
    return n;
  }

  private static String single(MultiValueMap<String, String> query, String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ProblemException.invalidParameter(name, name + " must be given at most once.");
    }
    return values.get(0) == null ? "" : values.get(0);
  }
}
