package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.insert;
import static io.calsync.localstack.FaultSuite.newAccount;
import static io.calsync.localstack.FaultSuite.oracle;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.localstack.oracle.Oracle;
import io.calsync.localstack.oracle.Report;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Found by the fault suite on the healthy stack (the emulator's seed makes such series): a series
 * whose start falls on a day its rule does not name ({@code BYDAY=MO,WE}, starting on a Tuesday).
 * The emulator, Google's stand-in, does not list the start as an instance; events-query-service's
 * {@code RecurrenceExpander} does, so the oracle reports it as {@code unexpected}. Tagged {@code
 * awaiting-fix} (left out of {@code verify}) until the two agree: either the expander follows
 * Google, or, if real Google lists that start, the emulator does.
 */
@Tag("awaiting-fix")
@Order(41)
@ExtendWith(SystemStack.class)
class OffRuleSeriesStartSystemTests {

  @Test
  void aSeriesStartingOnADayItsRuleDoesNotNameIsExpandedAsGoogleDoes() throws Exception {
    String user = userToken("off-rule-" + UUID.randomUUID());
    String account = newAccount();
    LocalDate tuesday =
        LocalDate.now(ZoneOffset.UTC)
            .plusDays(1)
            .with(TemporalAdjusters.nextOrSame(DayOfWeek.TUESDAY));
    insert(
        account,
        "{\"summary\":\"Off-rule start\",\"start\":{\"dateTime\":\""
            + tuesday
            + "T08:30:00Z\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
            + tuesday
            + "T09:30:00Z\",\"timeZone\":\"UTC\"},\"recurrence\":[\"RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE\"]}");
    UUID connection = UUID.fromString(connect(user, account));

    Report report =
        oracle()
            .awaitAgreement(
                List.of(new Oracle.Subject(user, Map.of(connection, account))),
                Duration.ofSeconds(60));

    System.out.println(report);
    assertThat(report.agrees()).as("%s", report).isTrue();
  }
}
