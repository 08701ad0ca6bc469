package io.calsync.sync.token.client;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where Google access tokens of a connection come from. */
public interface AccessTokens {

  /** A usable access token (cached while it lives); fails with {@link ReauthRequiredException} or {@link TokenUnavailableException}. */
  Mono<String> accessToken(UUID connectionId);

  /** Forget the cached token: Google refused it with 401. */
  void invalidate(UUID connectionId);
}
