package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.awaitRequests;
import static io.calsync.localstack.FaultSuite.clearFaults;
import static io.calsync.localstack.FaultSuite.fault;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.requests;
import static io.calsync.localstack.FaultSuite.settle;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (a): Google answers a storm of 429s, then a storm of 500s, to {@code events.list}
 * while three connections sync incrementally (each pushed by a change at Google); runs back off and
 * retry, or fail and are pushed again by the next change. After the storms and further changes, the
 * oracle finds nothing lost or left over.
 */
@Order(61)
@ExtendWith(SystemStack.class)
class GoogleErrorStormsFaultSystemTests {

  private static final int STORM = 9;

  @AfterEach
  void calm() throws Exception {
    clearFaults();
  }

  @Test
  void theReadModelAgreesWithGoogleAfter429And500Storms() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject(), newSubject());
    settle(subjects);

    for (int status : new int[] {429, 500}) {
      long before = requests("events.list");
      fault("events.list", status, STORM, 0);
      for (Oracle.Subject subject : subjects) {
        insertEvent(accountOf(subject), "During the " + status + " storm", 30);
      }
      // the storm is over once sync-service has met every faulted answer
      awaitRequests("events.list", before + STORM, Duration.ofSeconds(60));
      clearFaults();
    }
    for (Oracle.Subject subject : subjects) {
      insertEvent(accountOf(subject), "After the storms", 40);
    }

    judge("a 429 and 500 storms", subjects, Duration.ofSeconds(60));
  }
}
