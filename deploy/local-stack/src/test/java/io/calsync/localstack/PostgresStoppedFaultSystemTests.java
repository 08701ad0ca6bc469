package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.accountOf;
import static io.calsync.localstack.FaultSuite.connectionOf;
import static io.calsync.localstack.FaultSuite.deleteEvent;
import static io.calsync.localstack.FaultSuite.eventIds;
import static io.calsync.localstack.FaultSuite.insertEvent;
import static io.calsync.localstack.FaultSuite.judge;
import static io.calsync.localstack.FaultSuite.newSubject;
import static io.calsync.localstack.FaultSuite.settle;
import static io.calsync.localstack.FaultSuite.syncState;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.send;
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
 * Fault suite (i): PostgreSQL is stopped for 30 s under every service while changes at Google (a
 * deletion and an insertion per account) push syncs, then started again on the same port with its
 * data. During the outage a read that needs the database answers 503 problem+json {@code
 * upstream_unavailable}, never a 500. Afterwards every service is back without a restart: reads
 * answer 200 again, the pushes answered during the outage are synced without another trigger (the
 * oracle finds nothing lost or left over), "Sync now" answers 202 and each connection's status
 * returns to idle.
 */
@Order(69)
@ExtendWith(SystemStack.class)
class PostgresStoppedFaultSystemTests {

  @Test
  void everyServiceRecoversFromThirtySecondsWithoutTheDatabase() throws Exception {
    List<Oracle.Subject> subjects = List.of(newSubject(), newSubject());
    settle(subjects);
    Oracle.Subject reader = subjects.get(0);

    SystemStack.stack().stopPostgres();
    Instant back = Instant.now().plus(Outage.LENGTH);
    List<HttpResponse<String>> reads;
    try {
      for (Oracle.Subject subject : subjects) {
        deleteEvent(accountOf(subject), eventIds(accountOf(subject), 1).get(0));
        insertEvent(accountOf(subject), "While the database is down", 25);
      }
      reads =
          Outage.probeUntil(
              back, () -> get(gateway("/api/calendar/events/upcoming/"), reader.userToken()));
    } finally {
      SystemStack.stack().startPostgres();
    }
    assertThat(reads)
        .as("a read that needs the database while it is down")
        .allSatisfy(
            read -> {
              assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
              assertThat(read.headers().firstValue("Content-Type"))
                  .hasValueSatisfying(
                      type -> assertThat(type).startsWith("application/problem+json"));
              assertThat(json(read).get("code").asString()).isEqualTo("upstream_unavailable");
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> get(gateway("/api/calendar/events/upcoming/"), reader.userToken()).statusCode(),
            status -> status == 200);

    // nobody changes anything or asks for a sync: the pushes of the outage must be enough
    judge("i PostgreSQL stopped 30 s", subjects, Duration.ofSeconds(180));
    for (Oracle.Subject subject : subjects) {
      String body = "{\"connection_id\":\"" + connectionOf(subject) + "\"}";
      HttpResponse<String> syncNow =
          send("POST", gateway("/api/calendar/sync/"), subject.userToken(), body);
      assertThat(syncNow.statusCode()).as(syncNow.body()).isEqualTo(202);
    }
    for (Oracle.Subject subject : subjects) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> syncState(subject, connectionOf(subject)), "idle"::equals);
    }
  }
}
