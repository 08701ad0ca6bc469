package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.QUERY_SERVICE;
import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.deleteEvent;
import static io.calsync.localstack.FaultSuite.eventIds;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.localstack.oracle.Oracle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (f): events-query-service is killed with {@code SIGKILL} while changes at Google flow
 * through sync-service into Kafka, more changes are made while it is down, and it is started again
 * with the same settings; it must resume from its committed offsets and the oracle agree.
 */
@Order(66)
@ExtendWith(SystemStack.class)
class QueryServiceKilledFaultSystemTests {

  @Test
  void aKilledQueryServiceCatchesUpAfterARestart() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject());
    settle(subjects);

    for (Oracle.Subject subject : subjects) {
      insertEvent(accountOf(subject), "Before the kill", 20);
    }
    // SIGKILL: a JVM killed by signal 9 exits with 128 + 9
    assertThat(SystemStack.stack().kill(QUERY_SERVICE)).isEqualTo(137);
    try {
      for (Oracle.Subject subject : subjects) {
        insertEvent(accountOf(subject), "While the read model is down", 25);
        deleteEvent(accountOf(subject), eventIds(accountOf(subject), 1).get(0));
      }
    } finally {
      SystemStack.stack().restart(QUERY_SERVICE);
    }
    for (Oracle.Subject subject : subjects) {
      insertEvent(accountOf(subject), "After the restart", 30);
    }

    judge("f events-query-service killed and restarted", subjects, Duration.ofSeconds(120));
  }
}
