package io.calsync.sync.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import io.calsync.contract.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The access-token cache lets a token go when it would no longer be handed out. */
class AccessTokenCacheTests {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final AtomicLong nanos = new AtomicLong();
  private final MutableClock clock = MutableClock.stoppedAt(T0);
  private final Cache<UUID, AccessTokenClient.Cached> cache =
      AccessTokenClient.tokenCache(clock, Duration.ofSeconds(60), nanos::get);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    clock.advance(d);
  }

  @Test
  void aTokenIsDroppedOnceItIsWithinTheRefreshSkewOfItsExpiry() {
    UUID id = UUID.randomUUID();
    cache.put(id, new AccessTokenClient.Cached("ya29.a", T0.plus(Duration.ofMinutes(10))));

    advance(Duration.ofMinutes(8));
    assertThat(cache.getIfPresent(id)).isNotNull();

    advance(Duration.ofMinutes(1).plusSeconds(1)); // 60 s before its expiry
    assertThat(cache.getIfPresent(id)).isNull();
    cache.cleanUp();
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void aTokenAlreadyNearItsExpiryIsNotKept() {
    UUID id = UUID.randomUUID();
    cache.put(id, new AccessTokenClient.Cached("ya29.b", T0.plusSeconds(30)));

    assertThat(cache.getIfPresent(id)).isNull();
  }

  @Test
  void aRefreshedTokenLivesAsLongAsItsOwnExpiry() {
    UUID id = UUID.randomUUID();
    cache.put(id, new AccessTokenClient.Cached("ya29.c", T0.plus(Duration.ofMinutes(5))));
    advance(Duration.ofMinutes(3));
    cache.put(
        id, new AccessTokenClient.Cached("ya29.d", clock.instant().plus(Duration.ofHours(1))));

    advance(Duration.ofMinutes(30));
    assertThat(cache.getIfPresent(id))
        .extracting(AccessTokenClient.Cached::token)
        .isEqualTo("ya29.d");
  }
}
