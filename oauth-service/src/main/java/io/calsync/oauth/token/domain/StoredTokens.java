package io.calsync.oauth.token.domain;

import java.time.Instant;
import java.util.UUID;

/** A connection's token ciphertexts as stored. {@code refresh} may be null. */
public record StoredTokens(UUID connectionId, SealedToken access, Instant accessExpiresAt, SealedToken refresh) {}
