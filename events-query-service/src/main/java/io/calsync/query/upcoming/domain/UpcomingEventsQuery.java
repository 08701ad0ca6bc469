package io.calsync.query.upcoming.domain;

import io.calsync.contract.http.UpcomingEventsResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The upcoming-events use case: reads the caller's rows for the window and assembles the answer.
 */
public final class UpcomingEventsQuery {

  private final UpcomingEventStore store;
  private final UpcomingEventsAssembler assembler;
  private final Clock clock;

  public UpcomingEventsQuery(
      UpcomingEventStore store, UpcomingEventsAssembler assembler, Clock clock) {
    this.store = store;
    this.assembler = assembler;
    this.clock = clock;
  }

  public Mono<UpcomingEventsResponse> upcoming(String userId, UpcomingRequest request) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Window window = Window.of(now, request.zone(), request.days());
    Mono<List<StoredEvent>> singles = store.singles(userId, window, request.limit()).collectList();
    Mono<Result> series =
        store
            .masters(userId, window)
            .collectList()
            .flatMap(
                masters -> {
                  if (masters.isEmpty()) {
                    return Mono.just(new Result(masters, List.of()));
                  }
                  Duration longest =
                      masters.stream()
                          .map(UpcomingEventsQuery::length)
                          .max(Duration::compareTo)
                          .orElse(Duration.ZERO);
                  // all-day exceptions are matched by date; a day of slack covers every zone
                  Instant notBefore = window.fromInstant().minus(longest).minus(Duration.ofDays(2));
                  return store
                      .exceptions(masters, notBefore)
                      .collectList()
                      .map(exceptions -> new Result(masters, exceptions));
                });
    return Mono.zip(singles, series)
        .map(
            t ->
                new UpcomingEventsResponse(
                    assembler.assemble(
                        window,
                        request.limit(),
                        t.getT1(),
                        t.getT2().masters(),
                        t.getT2().exceptions()),
                    new UpcomingEventsResponse.Window(
                        window.from().toOffsetDateTime(), window.to().toOffsetDateTime())));
  }

  private static Duration length(StoredEvent master) {
    When start = master.start();
    When end = master.end();
    if (start == null || end == null) {
      return Duration.ZERO;
    }
    if (start.isDate() && end.isDate()) {
      return Duration.ofDays(Math.max(1, end.date().toEpochDay() - start.date().toEpochDay()));
    }
    if (start.instant() != null
        && end.instant() != null
        && end.instant().isAfter(start.instant())) {
      return Duration.between(start.instant(), end.instant());
    }
    return Duration.ZERO;
  }

  private record Result(List<StoredEvent> masters, List<SeriesException> exceptions) {}
}
