package io.calsync.query.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The notification payload: ids and type only, read back as written, under PostgreSQL's limit. */
class ChangeNotificationsTests {

  private final UUID connection = UUID.randomUUID();
  private final UUID calendar = UUID.randomUUID();
  private final OffsetDateTime at = OffsetDateTime.parse("2026-11-23T09:00:00+01:00");

  @Test
  void aChangeReadsBackAsWritten() {
    ReadModelChange change =
        new ReadModelChange("event.upserted", "alice", connection, calendar, "e1", at);

    String payload = ChangeNotifications.payload(change);

    assertThat(ChangeNotifications.read(payload)).isEqualTo(change);
    assertThat(payload).doesNotContain("title");
  }

  @Test
  void whenTheEventIdWouldPushThePayloadOverTheLimitThenItIsLeftOut() {
    ReadModelChange change =
        new ReadModelChange("event.upserted", "alice", connection, calendar, "e".repeat(8000), at);

    String payload = ChangeNotifications.payload(change);

    assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(ChangeNotifications.MAX_PAYLOAD_BYTES);
    assertThat(ChangeNotifications.read(payload))
        .isEqualTo(new ReadModelChange("event.upserted", "alice", connection, calendar, null, at));
  }
}
