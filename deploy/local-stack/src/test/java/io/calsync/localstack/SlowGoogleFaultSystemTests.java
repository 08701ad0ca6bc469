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
 * Fault suite (b): Google answers the syncs' event listings slowly (2 s, a latency-only fault)
 * while two connections sync changes made at Google; the oracle then agrees.
 */
@Order(62)
@ExtendWith(SystemStack.class)
class SlowGoogleFaultSystemTests {

  private static final int SLOW_CALLS = 2;

  @AfterEach
  void calm() throws Exception {
    clearFaults();
  }

  @Test
  void theReadModelAgreesWithGoogleAnsweringIn2Seconds() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject());
    settle(subjects);

    // installed before the changes, so the syncs their pushes cause (one events.list each) meet
    // the slow answers whenever they run
    long before = requests("events.list");
    fault("events.list", 0, SLOW_CALLS, 2000);
    for (Oracle.Subject subject : subjects) {
      insertEvent(accountOf(subject), "While Google is slow", 30);
    }
    awaitRequests("events.list", before + SLOW_CALLS, Duration.ofSeconds(60));
    clearFaults();

    judge("b slow Google (2 s)", subjects, Duration.ofSeconds(60));
  }
}
