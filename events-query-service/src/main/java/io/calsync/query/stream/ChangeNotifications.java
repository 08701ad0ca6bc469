package io.calsync.query.stream;

import io.calsync.contract.json.CalendarJson;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PostgreSQL channel that carries applied read-model changes between the instances of the
 * service, and the payload of one notification: the change's type, user, connection, calendar and
 * event ids and time as JSON, never event content. The read-model writer issues {@code
 * pg_notify(CHANNEL, payload)} inside the message's transaction, so PostgreSQL delivers it to every
 * listening instance on commit and never for a rolled-back change; {@link NotificationListener}
 * feeds what it hears to the local {@link ReadModelChanges}.
 */
public final class ChangeNotifications {

  /** The channel name (an unquoted identifier, so it needs no escaping in {@code LISTEN}). */
  public static final String CHANNEL = "calsync_read_model_changes";

  /** PostgreSQL refuses a payload of 8000 bytes or more. */
  static final int MAX_PAYLOAD_BYTES = 7999;

  private static final JsonMapper JSON = CalendarJson.mapper();

  private ChangeNotifications() {}

  /**
   * The payload announcing {@code change}. An event id long enough to push the payload over
   * PostgreSQL's limit is left out: the stream then says which calendar changed, and the client
   * re-reads the list anyway.
   */
  public static String payload(ReadModelChange change) {
    String json = JSON.writeValueAsString(change);
    if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
      return json;
    }
    return JSON.writeValueAsString(
        new ReadModelChange(
            change.type(),
            change.userId(),
            change.connectionId(),
            change.calendarId(),
            null,
            change.occurredAt()));
  }

  /**
   * @throws tools.jackson.core.JacksonException when the payload is not one of ours
   */
  static ReadModelChange read(String payload) {
    return JSON.readValue(payload, ReadModelChange.class);
  }
}
