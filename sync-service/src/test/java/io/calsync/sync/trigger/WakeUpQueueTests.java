package io.calsync.sync.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The worker's wake-up queue: one entry per connection, bounded, delays outside the queue. */
class WakeUpQueueTests {

  private final Counter dropped = new SimpleMeterRegistry().counter("dropped");

  @Test
  void thousandWakeUpsForOneConnectionKeepOneEntry() {
    var queue = new WakeUpQueue(100, dropped);
    UUID conn = UUID.randomUUID();
    for (int i = 0; i < 1000; i++) {
      queue.offer(conn);
    }
    assertThat(queue.size()).isEqualTo(1);
    assertThat(dropped.count()).isZero();

    StepVerifier.create(queue.ready(), 0)
        .thenRequest(1)
        .expectNext(conn)
        .then(() -> assertThat(queue.size()).isZero())
        // handed out: the connection can be queued again
        .then(() -> assertThat(queue.offer(conn)).isTrue())
        .thenRequest(1)
        .expectNext(conn)
        .then(queue::close)
        .verifyComplete();
  }

  @Test
  void aFullQueueDropsAndCountsTheWakeUp() {
    var queue = new WakeUpQueue(2, dropped);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    UUID c = UUID.randomUUID();
    assertThat(queue.offer(a)).isTrue();
    assertThat(queue.offer(b)).isTrue();
    assertThat(queue.offer(c)).isFalse();
    assertThat(dropped.count()).isEqualTo(1.0);
    assertThat(queue.size()).isEqualTo(2);

    queue.close();
    StepVerifier.create(queue.ready()).expectNext(a, b).verifyComplete();
    // c was not remembered as queued: once there is room it can be offered again
    assertThat(queue.size()).isZero();
  }

  @Test
  void delayedWakeUpsWaitOutsideTheQueueAndJoinItWhenDue() {
    StepVerifier.withVirtualTime(
            () -> {
              var queue = new WakeUpQueue(100, dropped);
              UUID later = UUID.fromString("00000000-0000-0000-0000-000000000001");
              UUID now = UUID.fromString("00000000-0000-0000-0000-000000000002");
              for (int i = 0; i < 5; i++) {
                queue.offerAfter(later, Duration.ofMinutes(10));
              }
              queue.offer(now);
              return queue
                  .ready()
                  .take(2)
                  .mergeWith(queue.timers().then(reactor.core.publisher.Mono.empty()));
            })
        .expectSubscription()
        .expectNext(UUID.fromString("00000000-0000-0000-0000-000000000002"))
        .expectNoEvent(Duration.ofMinutes(9))
        .thenAwait(Duration.ofMinutes(1))
        .expectNext(UUID.fromString("00000000-0000-0000-0000-000000000001"))
        .thenCancel()
        .verify();
  }
}
