package io.calsync.query.upcoming.domain;

import java.time.ZoneId;

/** Validated parameters of an upcoming-events query. */
public record UpcomingRequest(int limit, int days, ZoneId zone) {

  public static final int DEFAULT_LIMIT = 10;
  public static final int MAX_LIMIT = 100;
  public static final int DEFAULT_DAYS = 7;
  public static final int MAX_DAYS = 365;
}
