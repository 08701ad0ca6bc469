package io.calsync.sync.token;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where Google access tokens of a connection come from. */
public interface AccessTokens {

  /**
   * A usable access token (cached while it lives); fails with {@link ReauthRequiredException} or
   * {@link TokenUnavailableException}.
   */
  Mono<String> accessToken(UUID connectionId);

  /**
   * Google answered 401 to {@code rejectedToken}: forgets it and asks oauth-service for a forced
   * refresh (oauth-service refreshes unless its stored token already differs from the rejected
   * one). Fails with {@link ReauthRequiredException} when the grant is gone.
   */
  Mono<String> refreshRejected(UUID connectionId, String rejectedToken);

  /** The connection is gone: whatever is held for it (a cached access token) goes at once. */
  void forget(UUID connectionId);
}
