package io.calsync.query.upcoming.domain;

import reactor.core.publisher.Flux;

/**
 * What the upcoming query reads: the materialized occurrences of {@code userId} from selected, not
 * removed calendars of connections that are not hidden (reauth required or disconnected).
 */
public interface UpcomingEventStore {

  /**
   * Occurrences overlapping the window: at most {@code limit} timed ones in start then id order
   * plus at most {@code limit} all-day ones in date then id order, each with its event's content.
   */
  Flux<Occurrence> occurrences(String userId, Window window, int limit);
}
