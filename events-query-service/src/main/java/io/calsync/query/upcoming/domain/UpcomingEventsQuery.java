package io.calsync.query.upcoming.domain;

import io.calsync.contract.http.UpcomingEventsResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import reactor.core.publisher.Mono;

/**
 * The upcoming-events use case: reads the caller's occurrences for the window and assembles the
 * answer.
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
    return store
        .occurrences(userId, window, request.limit())
        .collectList()
        .map(
            occurrences ->
                new UpcomingEventsResponse(
                    assembler.assemble(window, request.limit(), occurrences),
                    new UpcomingEventsResponse.Window(
                        window.from().toOffsetDateTime(), window.to().toOffsetDateTime())));
  }
}
