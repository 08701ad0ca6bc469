package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.connectionOf;
import static io.calsync.localstack.FaultSuite.deleteEvent;
import static io.calsync.localstack.FaultSuite.emulator;
import static io.calsync.localstack.FaultSuite.eventIds;
import static io.calsync.localstack.FaultSuite.generation;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.settle;
import static io.calsync.localstack.SystemClient.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (c): Google invalidates a calendar's sync tokens, and then events are deleted there;
 * the incremental run those deletions push meets 410 {@code fullSyncRequired} and re-syncs the
 * calendar in full as a new generation. A full sync lists no deleted event, so only the new
 * generation's {@code snapshot_completed} can drop them: the oracle must find none left.
 */
@Order(63)
@ExtendWith(SystemStack.class)
class SyncTokenInvalidatedFaultSystemTests {

  @Test
  void aFullResyncAfter410DropsTheEventsDeletedMeanwhile() throws Exception {
    Oracle.Subject subject = newSubject();
    UUID connection = connectionOf(subject);
    String account = accountOf(subject);
    settle(List.of(subject));
    long generation = generation(connection);

    assertThat(
            send(
                    "POST",
                    emulator("/emulator/v1/calendars/" + account + "/invalidate-sync-tokens"),
                    null,
                    null)
                .statusCode())
        .isEqualTo(204);
    for (String id : eventIds(account, 2)) {
      deleteEvent(account, id);
    }
    insertEvent(account, "After the 410", 30);

    judge("c 410 mid-incremental with deletions", List.of(subject), Duration.ofSeconds(60));
    assertThat(generation(connection))
        .as("the 410 started a new generation")
        .isGreaterThan(generation);
  }
}
