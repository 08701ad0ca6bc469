package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.awaitRequests;
import static io.calsync.localstack.FaultSuite.connectionOf;
import static io.calsync.localstack.FaultSuite.deleteEvent;
import static io.calsync.localstack.FaultSuite.eventIds;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.requests;
import static io.calsync.localstack.FaultSuite.settle;
import static io.calsync.localstack.FaultSuite.syncState;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.localstack.oracle.Oracle;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault suite (h): the Kafka broker is stopped ({@code SIGTERM}) for 30 s while changes at Google
 * (a deletion and an insertion per account) push incremental syncs; the syncs read Google but
 * cannot publish, and fail once the producer's delivery timeout is over. The broker is started
 * again on the same port with its data, and nobody changes anything or asks for a sync: the oracle
 * must find nothing lost and nothing duplicated, the read API must have answered throughout (it
 * needs no broker), and every connection must be idle again.
 */
@Order(68)
@ExtendWith(SystemStack.class)
class KafkaStoppedFaultSystemTests {

  @Test
  void changesMadeWhileTheBrokerIsDownArriveOnceItIsBack() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject());
    settle(subjects);
    long listed = requests("events.list");

    SystemStack.stack().stopKafka();
    Instant back = Instant.now().plus(Outage.LENGTH);
    List<HttpResponse<String>> reads;
    try {
      for (Oracle.Subject subject : subjects) {
        // one burst per account, so one pushed run reads both changes
        deleteEvent(accountOf(subject), eventIds(accountOf(subject), 1).get(0));
        insertEvent(accountOf(subject), "While the broker is down", 25);
      }
      // the pushes' syncs meet the outage: they read Google, then cannot publish
      awaitRequests("events.list", listed + subjects.size(), Outage.LENGTH);
      Oracle.Subject reader = subjects.get(0);
      reads =
          Outage.probeUntil(
              back, () -> get(gateway("/api/calendar/events/upcoming/"), reader.userToken()));
    } finally {
      SystemStack.stack().startKafka();
    }
    assertThat(reads)
        .as("the read model answers while the broker is down")
        .allSatisfy(read -> assertThat(read.statusCode()).as(read.body()).isEqualTo(200));

    judge("h Kafka broker stopped 30 s", subjects, Duration.ofSeconds(180));
    for (Oracle.Subject subject : subjects) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> syncState(subject, connectionOf(subject)), "idle"::equals);
    }
  }
}
