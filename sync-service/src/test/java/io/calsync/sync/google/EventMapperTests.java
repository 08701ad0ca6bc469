package io.calsync.sync.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.model.Event;
import io.calsync.contract.kafka.EventPayload;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses real Google JSON with the Google client's own parser, then maps it. */
class EventMapperTests {

  private static Event parse(String json) throws Exception {
    return GsonFactory.getDefaultInstance().fromString(json, Event.class);
  }

  @Test
  void allDayDatesStayLocalDatesEvenWestOfUtc() throws Exception {
    Event e =
        parse(
            """
            {"kind":"calendar#event","id":"allday1","status":"confirmed","summary":"Holiday",
             "start":{"date":"2026-05-01"},"end":{"date":"2026-05-02"},
             "updated":"2026-04-01T10:00:00.123Z","etag":"\\"123\\"","iCalUID":"allday1@google.com"}
            """);
    java.util.TimeZone previous = java.util.TimeZone.getDefault();
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/Los_Angeles"));
      EventPayload p = EventMapper.payload(e);
      assertThat(p.start().date()).isEqualTo(LocalDate.of(2026, 5, 1));
      assertThat(p.start().dateTime()).isNull();
      assertThat(p.end().date()).isEqualTo(LocalDate.of(2026, 5, 2));
      assertThat(p.updated()).isEqualTo(OffsetDateTime.parse("2026-04-01T10:00:00.123Z"));
      assertThat(p.etag()).isEqualTo("\"123\"");
      assertThat(p.icalUid()).isEqualTo("allday1@google.com");
    } finally {
      java.util.TimeZone.setDefault(previous);
    }
  }

  @Test
  void timedEventsKeepTheirOffsetAndZone() throws Exception {
    Event e =
        parse(
            """
            {"id":"series1","status":"confirmed","summary":"Weekly",
             "start":{"dateTime":"2026-11-24T10:00:00+01:00","timeZone":"Europe/Berlin"},
             "end":{"dateTime":"2026-11-24T11:00:00+01:00","timeZone":"Europe/Berlin"},
             "recurrence":["RRULE:FREQ=WEEKLY;BYDAY=TU","EXDATE;TZID=Europe/Berlin:20261201T100000"]}
            """);
    EventPayload p = EventMapper.payload(e);
    assertThat(p.start().dateTime()).isEqualTo(OffsetDateTime.parse("2026-11-24T10:00:00+01:00"));
    assertThat(p.start().dateTime().getOffset().getTotalSeconds()).isEqualTo(3600);
    assertThat(p.start().timeZone()).isEqualTo("Europe/Berlin");
    assertThat(p.recurrence())
        .containsExactly("RRULE:FREQ=WEEKLY;BYDAY=TU", "EXDATE;TZID=Europe/Berlin:20261201T100000");
  }

  @Test
  void cancelledInstanceKeepsSeriesIdAndOriginalStart() throws Exception {
    Event e =
        parse(
            """
            {"id":"series1_20261201T090000Z","status":"cancelled","recurringEventId":"series1",
             "originalStartTime":{"dateTime":"2026-12-01T10:00:00+01:00","timeZone":"Europe/Berlin"}}
            """);
    assertThat(EventsPage.cancelled(EventMapper.payload(e))).isTrue();
    EventPayload p = EventMapper.payload(e);
    assertThat(p.status()).isEqualTo("cancelled");
    assertThat(p.recurringEventId()).isEqualTo("series1");
    assertThat(p.originalStart().dateTime())
        .isEqualTo(OffsetDateTime.parse("2026-12-01T10:00:00+01:00"));
    assertThat(p.start()).isNull();
    assertThat(p.recurrence()).isNull();
  }

  @Test
  void deletedPlainEventCarriesOnlyItsId() throws Exception {
    EventPayload p = EventMapper.payload(parse("{\"id\":\"gone1\",\"status\":\"cancelled\"}"));
    assertThat(p.id()).isEqualTo("gone1");
    assertThat(p.status()).isEqualTo("cancelled");
    assertThat(List.of(p))
        .extracting(EventPayload::title, EventPayload::start)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(null, null));
  }
}
