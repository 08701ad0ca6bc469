package io.calsync.contract.kafka;

/**
 * CloudEvents 1.0 Kafka binary-mode header names. The value of each header is its UTF-8 string;
 * {@code ce_time} is RFC 3339; {@code ce_type} equals the message's {@code type}; {@code
 * ce_subject} is the calendar id for calendar and event messages and the connection id otherwise.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";

  /** Binary mode carries the data content type in the plain {@code content-type} header. */
  public static final String CONTENT_TYPE = "content-type";

  public static final String SPEC_VERSION_VALUE = "1.0";
  public static final String JSON = "application/json";

  /** {@code ce_source} of messages produced by oauth-service. */
  public static final String SOURCE_OAUTH = "/calendar-platform/oauth-service";

  /** {@code ce_source} of messages produced by sync-service. */
  public static final String SOURCE_SYNC = "/calendar-platform/sync-service";

  private CloudEventHeaders() {}
}
