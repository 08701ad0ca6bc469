package io.calsync.query.upcoming.domain;

import static io.calsync.query.upcoming.domain.Fixtures.allDay;
import static io.calsync.query.upcoming.domain.Fixtures.allDaySeries;
import static io.calsync.query.upcoming.domain.Fixtures.cancelledAt;
import static io.calsync.query.upcoming.domain.Fixtures.cancelledOn;
import static io.calsync.query.upcoming.domain.Fixtures.exception;
import static io.calsync.query.upcoming.domain.Fixtures.instant;
import static io.calsync.query.upcoming.domain.Fixtures.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.calsync.contract.http.UpcomingEvent;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecurrenceExpansionTests {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

  private final RecurrenceExpander expander = new RecurrenceExpander(10_000);
  private final Materialized assembler = new Materialized(expander);

  /**
   * The path of a query since occurrences are materialized: the builder turns rows into stored
   * occurrences (over the query's window here), the assembler orders, cuts and renders them.
   */
  private record Materialized(RecurrenceExpander expander) {

    List<UpcomingEvent> assemble(
        Window window,
        int limit,
        List<StoredEvent> singles,
        List<StoredEvent> masters,
        List<SeriesException> exceptions) {
      return new UpcomingEventsAssembler()
          .assemble(
              window,
              limit,
              new OccurrenceBuilder(expander)
                  .build(window, singles, masters, exceptions)
                  .occurrences());
    }
  }

  @Test
  void whenWeeklySeriesCrossesTheEndOfSummerTimeThenItStaysAtTenLocal() {
    StoredEvent weekly =
        series(
            "w1",
            "2026-10-12T10:00:00+02:00",
            "2026-10-12T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;BYDAY=MO");
    Window window = Window.of(instant("2026-10-18T00:00:00Z"), BERLIN, 14);

    List<UpcomingEvent> events =
        assembler.assemble(window, 10, List.of(), List.of(weekly), List.of());

    assertThat(events)
        .extracting(
            UpcomingEvent::id,
            UpcomingEvent::start,
            UpcomingEvent::end,
            UpcomingEvent::recurringEventId)
        .containsExactly(
            tuple(
                "w1_20261019T080000Z",
                "2026-10-19T10:00:00+02:00",
                "2026-10-19T11:00:00+02:00",
                "w1"),
            tuple(
                "w1_20261026T090000Z",
                "2026-10-26T10:00:00+01:00",
                "2026-10-26T11:00:00+01:00",
                "w1"));
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.allDay()).isFalse();
              assertThat(e.timeZone()).isEqualTo("Europe/Berlin");
              assertThat(e.provider()).isEqualTo("google");
              assertThat(e.calendarName()).isEqualTo("Work");
            });
  }

  @Test
  void whenSeriesStartsInWinterThenSummerInstancesKeepTheLocalTimeToo() {
    StoredEvent weekly =
        series(
            "w2",
            "2026-03-23T09:30:00+01:00",
            "2026-03-23T10:00:00+01:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;COUNT=3");

    List<Occurrence> occurrences =
        expander
            .expand(
                weekly, Window.of(instant("2026-03-01T00:00:00Z"), ZoneId.of("UTC"), 60), Set.of())
            .occurrences();

    assertThat(occurrences)
        .extracting(o -> o.start().instant())
        .containsExactly(
            instant("2026-03-23T08:30:00Z"),
            instant("2026-03-30T07:30:00Z"),
            instant("2026-04-06T07:30:00Z"));
  }

  @Test
  void whenExdateNamesAnInstanceThenItIsSkipped() {
    StoredEvent weekly =
        series(
            "w3",
            "2026-10-12T10:00:00+02:00",
            "2026-10-12T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;BYDAY=MO",
            "EXDATE;TZID=Europe/Berlin:20261019T100000",
            "EXDATE:20261102T090000Z");

    List<UpcomingEvent> events =
        assembler.assemble(
            Window.of(instant("2026-10-18T00:00:00Z"), BERLIN, 21),
            10,
            List.of(),
            List.of(weekly),
            List.of());

    assertThat(events).extracting(UpcomingEvent::id).containsExactly("w3_20261026T090000Z");
  }

  @Test
  void whenRdateAddsAnInstanceThenItIsListed() {
    StoredEvent weekly =
        series(
            "w4",
            "2026-10-12T10:00:00+02:00",
            "2026-10-12T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261020T000000Z",
            "RDATE;TZID=Europe/Berlin:20261028T150000");

    List<UpcomingEvent> events =
        assembler.assemble(
            Window.of(instant("2026-10-18T00:00:00Z"), BERLIN, 14),
            10,
            List.of(),
            List.of(weekly),
            List.of());

    assertThat(events)
        .extracting(UpcomingEvent::id)
        .containsExactly("w4_20261019T080000Z", "w4_20261028T140000Z");
  }

  @Test
  void whenAnInstanceIsMovedOrCancelledThenTheExceptionStandsInForIt() {
    StoredEvent weekly =
        series(
            "w5",
            "2026-10-12T10:00:00+02:00",
            "2026-10-12T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;BYDAY=MO");
    // the 26 October instance moved to Tuesday afternoon, the 2 November one cancelled
    StoredEvent moved =
        exception(
            "w5_20261026T090000Z",
            "w5",
            "2026-10-27T15:00:00+01:00",
            "2026-10-27T16:00:00+01:00",
            "Europe/Berlin");
    List<SeriesException> exceptions =
        List.of(
            cancelledAt("w5", "2026-10-26T10:00:00+01:00"),
            cancelledAt("w5", "2026-11-02T10:00:00+01:00"));

    List<UpcomingEvent> events =
        assembler.assemble(
            Window.of(instant("2026-10-18T00:00:00Z"), BERLIN, 28),
            10,
            List.of(moved),
            List.of(weekly),
            exceptions);

    assertThat(events)
        .extracting(
            UpcomingEvent::id,
            UpcomingEvent::start,
            UpcomingEvent::title,
            UpcomingEvent::recurringEventId)
        .containsExactly(
            tuple("w5_20261019T080000Z", "2026-10-19T10:00:00+02:00", "weekly", "w5"),
            tuple("w5_20261026T090000Z", "2026-10-27T15:00:00+01:00", "moved", "w5"),
            tuple("w5_20261109T090000Z", "2026-11-09T10:00:00+01:00", "weekly", "w5"));
  }

  @Test
  void whenAllDayEventIsInLosAngelesThenItStaysOnItsDate() {
    StoredEvent thanksgiving = allDay("ad1", "2026-11-26", "2026-11-27", "America/Los_Angeles");
    // 23:30 on 25 November in Los Angeles is already 26 November in UTC
    Window window = Window.of(instant("2026-11-26T07:30:00Z"), LOS_ANGELES, 2);

    List<UpcomingEvent> events =
        assembler.assemble(window, 10, List.of(thanksgiving), List.of(), List.of());

    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.start()).isEqualTo("2026-11-26");
              assertThat(e.end()).isEqualTo("2026-11-27");
              assertThat(e.allDay()).isTrue();
              assertThat(e.timeZone()).isEqualTo("America/Los_Angeles");
            });
  }

  @Test
  void whenAllDaySeriesIsExpandedThenInstancesAreDatesWithDateIds() {
    StoredEvent daily =
        allDaySeries(
            "ds",
            "2026-11-20",
            "2026-11-21",
            "America/Los_Angeles",
            "RRULE:FREQ=DAILY;UNTIL=20261128",
            "EXDATE;VALUE=DATE:20261125");
    Window window =
        Window.of(instant("2026-11-24T07:30:00Z"), LOS_ANGELES, 3); // 23 Nov 23:30 local

    List<UpcomingEvent> events =
        assembler.assemble(
            window, 10, List.of(), List.of(daily), List.of(cancelledOn("ds", "2026-11-26")));

    assertThat(events)
        .extracting(
            UpcomingEvent::id, UpcomingEvent::start, UpcomingEvent::end, UpcomingEvent::allDay)
        .containsExactly(
            tuple("ds_20261123", "2026-11-23", "2026-11-24", true),
            tuple("ds_20261124", "2026-11-24", "2026-11-25", true));
  }

  @Test
  void whenInstancesAreNamedThenIdsUseTheUtcStart() {
    StoredEvent evening =
        series(
            "ev",
            "2026-11-24T23:30:00-08:00",
            "2026-11-25T00:30:00-08:00",
            "America/Los_Angeles",
            "RRULE:FREQ=DAILY;COUNT=2");

    List<Occurrence> occurrences =
        expander
            .expand(evening, Window.of(instant("2026-11-24T00:00:00Z"), LOS_ANGELES, 7), Set.of())
            .occurrences();

    assertThat(occurrences)
        .extracting(Occurrence::id)
        .containsExactly("ev_20261125T073000Z", "ev_20261126T073000Z");
    assertThat(occurrences.get(0).id()).matches("ev_\\d{8}T\\d{6}Z");
  }

  @Test
  void whenSeriesStartedLongAgoThenOnlyInstancesInTheWindowAreListed() {
    StoredEvent daily =
        series(
            "old",
            "2016-01-01T08:00:00+01:00",
            "2016-01-01T08:15:00+01:00",
            "Europe/Berlin",
            "RRULE:FREQ=DAILY");

    List<Occurrence> occurrences =
        expander
            .expand(daily, Window.of(instant("2026-11-24T07:10:00Z"), BERLIN, 2), Set.of())
            .occurrences();

    // in progress at 08:10 Berlin, then one a day up to the window's end at 08:10 on 26 November
    assertThat(occurrences)
        .extracting(Occurrence::id)
        .containsExactly("old_20261124T070000Z", "old_20261125T070000Z", "old_20261126T070000Z");
  }

  @Test
  void whenRuleIsUnreadableThenOnlyTheFirstInstanceIsShown() {
    StoredEvent broken =
        series(
            "bad",
            "2026-11-24T10:00:00+01:00",
            "2026-11-24T11:00:00+01:00",
            "Europe/Berlin",
            "RRULE:FREQ=SOMETIMES");

    List<UpcomingEvent> events =
        assembler.assemble(
            Window.of(instant("2026-11-24T00:00:00Z"), BERLIN, 7),
            10,
            List.of(),
            List.of(broken),
            List.of());

    assertThat(events).extracting(UpcomingEvent::id).containsExactly("bad");
  }

  @Test
  void whenLimitIsReachedThenTheEarliestAreKeptInStartThenIdOrder() {
    StoredEvent a =
        Fixtures.timed(
            "b", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00", "Europe/Berlin");
    StoredEvent b =
        Fixtures.timed(
            "a", "2026-11-24T10:00:00+01:00", "2026-11-24T10:30:00+01:00", "Europe/Berlin");
    StoredEvent daily =
        series(
            "s",
            "2026-11-24T09:00:00+01:00",
            "2026-11-24T09:30:00+01:00",
            "Europe/Berlin",
            "RRULE:FREQ=DAILY");

    List<UpcomingEvent> events =
        assembler.assemble(
            Window.of(instant("2026-11-24T00:00:00Z"), BERLIN, 7),
            3,
            List.of(a, b),
            List.of(daily),
            List.of());

    assertThat(events)
        .extracting(UpcomingEvent::id)
        .containsExactly("s_20261124T080000Z", "a", "b");
  }

  @Test
  void whenSeriesIsFiniteThenItsEndIsTheEndOfItsLastInstance() {
    StoredEvent counted =
        series(
            "c",
            "2026-10-19T10:00:00+02:00",
            "2026-10-19T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "RDATE;TZID=Europe/Berlin:20261110T080000");
    StoredEvent endless =
        series(
            "e",
            "2026-10-19T10:00:00+02:00",
            "2026-10-19T11:00:00+02:00",
            "Europe/Berlin",
            "RRULE:FREQ=WEEKLY");
    StoredEvent days =
        allDaySeries(
            "d",
            "2026-11-20",
            "2026-11-22",
            "America/Los_Angeles",
            "RRULE:FREQ=DAILY;UNTIL=20261124");

    assertThat(expander.seriesEnd(counted)).isEqualTo(instant("2026-11-10T08:00:00Z"));
    assertThat(expander.seriesEnd(endless)).isNull();
    assertThat(expander.seriesEnd(days)).isEqualTo(java.time.LocalDate.parse("2026-11-26"));
  }
}
