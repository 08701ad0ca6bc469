package io.calsync.contract.http;

/** Public and internal paths. Public paths keep the trailing slash of the original contract. */
public final class ApiPaths {

  public static final String AUTHORIZE = "/api/calendar/google/authorize/";
  public static final String CALLBACK = "/api/calendar/google/callback/";
  public static final String CONNECTIONS = "/api/calendar/connections/";
  public static final String CONNECTION = "/api/calendar/connections/{id}/";
  public static final String CALENDARS = "/api/calendar/calendars/";
  public static final String CALENDAR = "/api/calendar/calendars/{id}/";
  public static final String SYNC = "/api/calendar/sync/";
  public static final String SYNC_STATUS = "/api/calendar/sync/status/";
  public static final String GOOGLE_NOTIFICATIONS = "/api/calendar/google/notifications/";
  public static final String UPCOMING_EVENTS = "/api/calendar/events/upcoming/";
  public static final String EVENT_STREAM = "/api/calendar/events/stream/";

  /**
   * oauth-service only; never routed by the gateway. Needs a service token with {@link
   * #TOKENS_SCOPE}.
   */
  public static final String INTERNAL_ACCESS_TOKEN = "/internal/v1/connections/{id}/access-token";

  /**
   * oauth-service only; never routed by the gateway. A connection as oauth-service knows it, for a
   * service that has not yet consumed its {@code connection.connected}. Needs a service token with
   * {@link #TOKENS_SCOPE}.
   */
  public static final String INTERNAL_CONNECTION = "/internal/v1/connections/{id}";

  /** The JWT audience every user and service token must carry. */
  public static final String AUDIENCE = "calendar";

  /**
   * The scope a service token needs for {@link #INTERNAL_ACCESS_TOKEN} and {@link
   * #INTERNAL_CONNECTION}.
   */
  public static final String TOKENS_SCOPE = "calendar.tokens";

  private ApiPaths() {}
}
