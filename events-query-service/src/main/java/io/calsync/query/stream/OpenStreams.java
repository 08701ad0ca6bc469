package io.calsync.query.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * How many live streams each user has open on this instance, capped at a maximum. A slot is taken
 * when a stream opens and given back when it ends for any reason (the client went away, the token
 * expired, an error). Only users with an open stream have an entry, so memory follows the open
 * connections. {@code calsync_query_streams_open} is their number on this instance.
 */
@Component
final class OpenStreams {

  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  OpenStreams(MeterRegistry meters) {
    Gauge.builder("calsync.query.streams.open", total, AtomicInteger::get)
        .description("Live event streams (SSE) open on this instance")
        .register(meters);
  }

  /**
   * Takes one of the user's slots.
   *
   * @throws TooManyStreamsException when the user already has {@code max} streams open
   */
  Slot open(String userId, int max) {
    boolean[] taken = {false};
    open.compute(
        userId,
        (user, count) -> {
          int current = count == null ? 0 : count;
          if (current >= max) {
            return count;
          }
          taken[0] = true;
          return current + 1;
        });
    if (!taken[0]) {
      throw new TooManyStreamsException(max);
    }
    total.incrementAndGet();
    return new Slot(userId);
  }

  /** The user's open streams on this instance. */
  int count(String userId) {
    return open.getOrDefault(userId, 0);
  }

  private void release(String userId) {
    open.computeIfPresent(userId, (user, count) -> count <= 1 ? null : count - 1);
  }

  /** One open stream's slot; closing it more than once gives it back once. */
  final class Slot implements AutoCloseable {

    private final String userId;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Slot(String userId) {
      this.userId = userId;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(userId);
        total.decrementAndGet();
      }
    }
  }
}
