package io.calsync.testsupport;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * The calls BlockHound may see on an event loop in this platform's services, each with its reason;
 * everything else it reports fails the test. Loaded through {@code ServiceLoader} when {@code
 * blockhound-junit-platform} installs BlockHound.
 */
public final class PlatformBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // Cancelling a periodic timer (Flux.interval: a live stream's heartbeat, cancelled when the
    // client goes away, on an event loop) removes its task from the scheduler's queue under the
    // queue's ReentrantLock, held for a few instructions by whichever thread schedules at that
    // moment. Reactor's own integration allows exactly this for its one-shot tasks (SchedulerTask
    // and WorkerTask#dispose) but not for the periodic ones. Unallowed, the error it raised broke
    // off the cancellation half-way, and the test JVM's later requests hung (a clean-clone CI run:
    // EventStreamKafkaTests, UpcomingEventsApplicationTests, DatabaseDownApplicationTests).
    builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose");
    builder.allowBlockingCallsInside("reactor.core.scheduler.PeriodicSchedulerTask", "dispose");
    builder.allowBlockingCallsInside("reactor.core.scheduler.InstantPeriodicWorkerTask", "dispose");
    // SecureRandom (UUID.randomUUID, PKCE verifiers, AES-GCM nonces) refills its buffer from
    // /dev/urandom, a file read that never waits once the kernel's pool is initialised at boot.
    builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "implNextBytes");
    // Spring Security's JWT decoder (issuer-location discovery) initialises this class lazily on
    // the first token it checks, on an event loop: its static RestTemplate finds Jackson modules
    // through ServiceLoader, reading jar files once per JVM. Reported upstream behaviour; nothing
    // of ours.
    builder.allowBlockingCallsInside(
        "org.springframework.security.oauth2.jwt.JwtDecoderProviderConfigurationUtils", "<clinit>");
    // Tests only: mock-oauth2-server is written in Kotlin and brings jackson-module-kotlin, which
    // Boot's JSON mapper then registers too. Kotlin's reflection computes its class descriptors
    // lazily, once per class, under its own locks and reading metadata from jar files, on whatever
    // thread first asks: the issuer's own Netty threads, or an event loop writing the gateway's
    // first
    // JSON answer. Nothing of the services' runtime carries Kotlin.
    builder.allowBlockingCallsInside(
        "kotlin.reflect.jvm.internal.ReflectProperties$LazySoftVal", "invoke");
    builder.allowBlockingCallsInside(
        "kotlin.reflect.jvm.internal.impl.storage.LockBasedStorageManager$LockBasedLazyValue",
        "invoke");
    builder.allowBlockingCallsInside(
        "kotlin.reflect.jvm.internal.impl.storage.LockBasedStorageManager$MapBasedMemoizedFunction",
        "invoke");
    builder.allowBlockingCallsInside("kotlin.SynchronizedLazyImpl", "getValue");
    builder.allowBlockingCallsInside(
        "kotlin.reflect.jvm.internal.impl.resolve.OverridingUtil", "<clinit>");
    // Netty 4.2's default buffer allocator takes a magazine's StampedLock, briefly, when a large
    // read (a big result set, such as a batch's occurrence rows) grows its buffer or frees a chunk
    // while another magazine is being expanded: a lock held for a few instructions, by design.
    builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    builder.allowBlockingCallsInside(
        "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
    // Resilience4j records each call of a circuit breaker in its sliding window under a
    // ReentrantLock, and keeps the last events of each breaker and bulkhead (for the actuator) in a
    // ring buffer whose writers take a StampedLock: under a burst of concurrent calls (the
    // gateway's
    // UpstreamConcurrencyApplicationTests) an event loop waits for another's update of a few
    // fields. Locks held for a few instructions, by design of the library.
    builder.allowBlockingCallsInside(
        "io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
    builder.allowBlockingCallsInside(
        "io.github.resilience4j.core.metrics.SlidingTimeWindowMetrics", "record");
    builder.allowBlockingCallsInside(
        "io.github.resilience4j.circularbuffer.ConcurrentEvictingQueue", "offer");
  }
}
