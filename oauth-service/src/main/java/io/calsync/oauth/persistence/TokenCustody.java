package io.calsync.oauth.persistence;

import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenColumn;
import io.calsync.oauth.domain.TokenSlot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Keeps a connection's Google tokens encrypted at rest. */
@Service
public class TokenCustody {

  private final TokenCipher cipher;
  private final ConnectionTokenRepository tokens;
  private final Clock clock;

  public TokenCustody(TokenCipher cipher, ConnectionTokenRepository tokens, Clock clock) {
    this.cipher = cipher;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Encrypts and stores the tokens in the caller's transaction. A null {@code refreshToken} keeps
   * the stored refresh token.
   */
  public Mono<Void> store(
      UUID connectionId, String accessToken, Instant accessExpiresAt, String refreshToken) {
    Mono<Optional<SealedToken>> refresh =
        refreshToken == null || refreshToken.isBlank()
            ? Mono.just(Optional.empty())
            : cipher.encrypt(refreshToken, TokenSlot.refresh(connectionId)).map(Optional::of);
    return Mono.zip(cipher.encrypt(accessToken, TokenSlot.access(connectionId)), refresh)
        .flatMap(
            ciphertexts ->
                tokens.save(
                    connectionId,
                    ciphertexts.getT1(),
                    accessExpiresAt,
                    ciphertexts.getT2().orElse(null),
                    clock.instant()));
  }

  /** The stored ciphertexts, if any. */
  public Mono<StoredTokens> find(UUID connectionId) {
    return tokens.find(connectionId);
  }

  /**
   * Claims the refresh of the connection's access token for {@code ttl}; the row as it is now, or
   * empty when someone else holds the claim (see {@link ConnectionTokenRepository#claimRefresh}).
   */
  public Mono<StoredTokens> claimRefresh(UUID connectionId, UUID claim, Duration ttl) {
    return tokens.claimRefresh(connectionId, claim, ttl);
  }

  /**
   * Encrypts and stores a refreshed token only while {@code claim} is still held, and releases it.
   * A null {@code refreshToken} keeps the stored refresh token. Answers whether it was stored.
   */
  public Mono<Boolean> storeRefreshed(
      UUID connectionId,
      UUID claim,
      String accessToken,
      Instant accessExpiresAt,
      String refreshToken) {
    Mono<Optional<SealedToken>> refresh =
        refreshToken == null || refreshToken.isBlank()
            ? Mono.just(Optional.empty())
            : cipher.encrypt(refreshToken, TokenSlot.refresh(connectionId)).map(Optional::of);
    return Mono.zip(cipher.encrypt(accessToken, TokenSlot.access(connectionId)), refresh)
        .flatMap(
            ciphertexts ->
                tokens.saveRefreshed(
                    connectionId,
                    claim,
                    ciphertexts.getT1(),
                    accessExpiresAt,
                    ciphertexts.getT2().orElse(null),
                    clock.instant()));
  }

  /** Releases {@code claim} if it is still held; answers whether it was. */
  public Mono<Boolean> releaseClaim(UUID connectionId, UUID claim) {
    return tokens.releaseClaim(connectionId, claim);
  }

  public Mono<Void> destroy(UUID connectionId) {
    return tokens.delete(connectionId);
  }

  /** Decrypts the access token of {@code stored}. */
  public Mono<String> openAccess(StoredTokens stored) {
    return open(stored, TokenColumn.ACCESS);
  }

  /** Decrypts one column of {@code stored}; empty when that column holds nothing. */
  public Mono<String> open(StoredTokens stored, TokenColumn column) {
    SealedToken sealed = stored.sealed(column);
    return sealed == null ? Mono.empty() : cipher.decrypt(sealed, stored.slot(column));
  }
}
