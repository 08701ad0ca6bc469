package io.calsync.emulator.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.emulator.support.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrenceTests {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void monthlyLastFridayWithExruleAndDateRdates() {
    Recurrence rule =
        Recurrence.parse(
            List.of(
                "RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=4",
                "EXRULE:FREQ=MONTHLY;BYMONTH=2;BYDAY=-1FR",
                "RDATE;VALUE=DATE:20270315"));
    ZonedDateTime first = ZonedDateTime.of(2027, 1, 29, 16, 0, 0, 0, BERLIN);
    List<ZonedDateTime> starts =
        rule.timed(first, null, Instant.parse("2028-01-01T00:00:00Z"), 100);
    assertThat(starts)
        .extracting(z -> z.toLocalDate().toString())
        .containsExactly("2027-01-29", "2027-03-15", "2027-03-26", "2027-04-30");
    assertThat(starts.get(1).toLocalTime().toString())
        .as("date RDATE takes the series time")
        .isEqualTo("16:00");
  }

  @Test
  void untilInUtcAndExdatesInUtcOrZone() {
    Recurrence rule =
        Recurrence.parse(
            List.of(
                "RRULE:FREQ=DAILY;UNTIL=20270105T080000Z",
                "EXDATE:20270102T080000Z",
                "EXDATE;TZID=Europe/Berlin:20270103T090000"));
    ZonedDateTime first = ZonedDateTime.of(2027, 1, 1, 9, 0, 0, 0, BERLIN);
    assertThat(rule.timed(first, null, Instant.parse("2030-01-01T00:00:00Z"), 100))
        .extracting(z -> z.getDayOfMonth())
        .containsExactly(1, 4, 5);
  }

  @Test
  void windowsAndLimitsCountOnlyOccurrencesInsideTheWindow() {
    Recurrence rule = Recurrence.parse(List.of("RRULE:FREQ=WEEKLY;BYDAY=MO,WE"));
    ZonedDateTime first = ZonedDateTime.of(2020, 1, 6, 9, 0, 0, 0, BERLIN);
    List<ZonedDateTime> starts =
        rule.timed(
            first, Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-02-01T00:00:00Z"), 3);
    assertThat(starts).hasSize(3);
    assertThat(starts.get(0).toLocalDate()).isEqualTo(LocalDate.of(2027, 1, 4));
  }

  @Test
  void allDaySeries() {
    Recurrence rule =
        Recurrence.parse(List.of("RRULE:FREQ=YEARLY;COUNT=3", "EXDATE;VALUE=DATE:20280229"));
    assertThat(rule.allDay(LocalDate.of(2027, 2, 28), null, LocalDate.of(2040, 1, 1), 10))
        .containsExactly(
            LocalDate.of(2027, 2, 28), LocalDate.of(2028, 2, 28), LocalDate.of(2029, 2, 28));
  }

  @Test
  void malformedLinesAre400() {
    assertThatThrownBy(() -> Recurrence.parse(List.of("RRULE:FREQ=SOMETIMES")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> Recurrence.parse(List.of("DTSTART:20270101T000000Z")))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(
            () ->
                Recurrence.parse(List.of("EXDATE:notadate"))
                    .allDay(LocalDate.of(2027, 1, 1), null, LocalDate.of(2028, 1, 1), 1))
        .isInstanceOf(ApiException.class);
  }
}
