package io.calsync.query.upcoming.domain;

import java.time.Instant;
import java.util.Collection;
import reactor.core.publisher.Flux;

/**
 * What the upcoming query reads. Every method returns only rows of {@code userId} from selected,
 * not removed calendars of connections that are not hidden (reauth required or disconnected).
 */
public interface UpcomingEventStore {

  /**
   * Single events and exceptions (not masters, not deleted, not cancelled) overlapping the window:
   * at most {@code limit} timed ones in start order plus at most {@code limit} all-day ones in date
   * order. Exceptions of a deleted series are left out.
   */
  Flux<StoredEvent> singles(String userId, Window window, int limit);

  /**
   * Series masters (not deleted, not cancelled) whose first instance starts before the window ends.
   */
  Flux<StoredEvent> masters(String userId, Window window);

  /**
   * Every row of the given series that replaces an instance (moved, edited, cancelled, or a
   * tombstone), with an original start not before {@code notBefore} (timed) or its date (all-day).
   */
  Flux<SeriesException> exceptions(Collection<StoredEvent> masters, Instant notBefore);
}
