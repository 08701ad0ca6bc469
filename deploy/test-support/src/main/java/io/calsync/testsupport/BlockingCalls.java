package io.calsync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Proof that BlockHound watches a service's tests: {@code blockhound-junit-platform} installs it
 * when the test JVM starts, and from then on a blocking call on a Reactor or Netty event-loop
 * thread throws {@link BlockingOperationError}, failing whichever test drove the code that made it.
 * Each reactive service's {@code BlockHoundTests} calls this, so a module that loses the agent, or
 * the JVM flag it needs, fails its build instead of silently checking nothing.
 */
public final class BlockingCalls {

  private BlockingCalls() {}

  public static void assertDetectedOnEventLoops() {
    Mono.fromRunnable(BlockingCalls::park)
        .subscribeOn(Schedulers.parallel())
        .as(StepVerifier::create)
        .expectError(BlockingOperationError.class)
        .verify(Duration.ofSeconds(10));

    EventLoop nettyLoop = new DefaultEventLoop();
    try {
      CompletableFuture<Throwable> thrown = new CompletableFuture<>();
      nettyLoop.execute(
          () -> {
            try {
              park();
              thrown.complete(null);
            } catch (Throwable e) {
              thrown.complete(e);
            }
          });
      assertThat(thrown)
          .succeedsWithin(Duration.ofSeconds(10))
          .isInstanceOf(BlockingOperationError.class);
    } finally {
      nettyLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /**
   * A periodic timer cancelled on an event loop while its scheduler's queue lock is taken elsewhere
   * (simulated: the executor parks before removing the task, as {@code ReentrantLock#lock} does
   * under contention) is allowed, as Reactor allows it for one-shot tasks: it is what cancelling a
   * live stream's heartbeat does when its client goes away.
   */
  public static void assertPeriodicTimerCancellationAllowed() {
    ScheduledThreadPoolExecutor contended =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public boolean remove(Runnable task) {
            park();
            return super.remove(task);
          }
        };
    contended.setRemoveOnCancelPolicy(true);
    Scheduler timer = Schedulers.fromExecutorService(contended);
    try {
      Mono.fromRunnable(() -> Flux.interval(Duration.ofHours(1), timer).subscribe().dispose())
          .subscribeOn(Schedulers.parallel())
          .as(StepVerifier::create)
          .verifyComplete();
      Mono.fromRunnable(() -> timer.schedulePeriodically(() -> {}, 1, 1, TimeUnit.HOURS).dispose())
          .subscribeOn(Schedulers.parallel())
          .as(StepVerifier::create)
          .verifyComplete();
    } finally {
      timer.dispose();
    }
  }

  private static void park() {
    LockSupport.parkNanos(1_000);
  }
}
