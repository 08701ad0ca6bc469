package io.calsync.emulator.oauth;

import io.calsync.emulator.support.Ids;
import io.calsync.emulator.support.OAuthException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Accounts, consents (grants), authorization codes, access and refresh tokens. */
public final class OAuthStore {

  public static final long ACCESS_TOKEN_SECONDS = 3599;
  public static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  /** An authorization code waiting for its exchange. */
  public record AuthCode(
      String code,
      String email,
      String clientId,
      String redirectUri,
      Set<String> scopes,
      String codeChallenge,
      String challengeMethod,
      boolean issueRefresh,
      Instant expiresAt,
      AtomicBoolean used) {}

  /** An issued access token. */
  public record AccessToken(
      String token,
      String email,
      String clientId,
      Set<String> scopes,
      Instant expiresAt,
      String refreshToken,
      AtomicBoolean revoked) {}

  /** An issued refresh token. */
  public record RefreshToken(
      String token,
      String email,
      String clientId,
      Set<String> scopes,
      Instant issuedAt,
      long serial,
      AtomicBoolean revoked) {}

  /**
   * Optional Google behaviours: refresh tokens of an app in "Testing" publishing status die after 7
   * days; at most N live refresh tokens per user and client (the oldest is revoked).
   */
  public record Settings(Duration refreshTokenLifetime, int maxRefreshTokens) {
    public static final Settings DEFAULT = new Settings(null, 0);
  }

  private volatile Settings settings = Settings.DEFAULT;
  private final java.util.concurrent.atomic.AtomicLong serials =
      new java.util.concurrent.atomic.AtomicLong();

  public Settings settings() {
    return settings;
  }

  public void settings(Settings newSettings) {
    this.settings = newSettings;
  }

  /** What the token endpoint answers. */
  public record Issued(AccessToken accessToken, RefreshToken refreshToken) {}

  private final Clock clock;
  private final Consumer<Account> onAccountCreated;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /** key email + "\n" + clientId → granted scopes. */
  private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();

  private final Map<String, AuthCode> codes = new ConcurrentHashMap<>();
  private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();

  public OAuthStore(Clock clock, Consumer<Account> onAccountCreated) {
    this.clock = clock;
    this.onAccountCreated = onAccountCreated;
  }

  public Clock clock() {
    return clock;
  }

  public static String normalizeEmail(String email) {
    return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean isEmail(String email) {
    return email != null && email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  }

  /** The account, created when missing; the boolean tells whether it was created. */
  public synchronized Map.Entry<Account, Boolean> ensureAccount(String rawEmail) {
    String email = normalizeEmail(rawEmail);
    Account existing = accounts.get(email);
    if (existing != null) {
      return Map.entry(existing, false);
    }
    Account account = new Account(email, subFor(email));
    accounts.put(email, account);
    onAccountCreated.accept(account);
    return Map.entry(account, true);
  }

  public Optional<Account> account(String email) {
    return Optional.ofNullable(accounts.get(normalizeEmail(email)));
  }

  /** A stable 21-digit numeric subject derived from the e-mail. */
  static String subFor(String email) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
      StringBuilder sub = new StringBuilder("1");
      for (int i = 0; sub.length() < 21; i++) {
        sub.append(Math.floorMod(hash[i % hash.length], 10));
      }
      return sub.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String grantKey(String email, String clientId) {
    return email + "\n" + clientId;
  }

  public Set<String> grantedScopes(String email, String clientId) {
    return grants.getOrDefault(grantKey(email, clientId), Set.of());
  }

  public boolean hasGrant(String email, String clientId) {
    return grants.containsKey(grantKey(email, clientId));
  }

  /**
   * Records consent and issues a single-use code. A refresh token will be issued on exchange only
   * for {@code offline} access on the first consent of this user for this client, or when consent
   * was forced.
   */
  public AuthCode consent(
      String email,
      String clientId,
      String redirectUri,
      Set<String> scopes,
      boolean includeGranted,
      boolean offline,
      boolean forcedConsent,
      String challenge,
      String challengeMethod) {
    String key = grantKey(email, clientId);
    boolean firstConsent;
    Set<String> effective = new LinkedHashSet<>();
    synchronized (this) {
      Set<String> previous = grants.get(key);
      firstConsent = previous == null;
      if (includeGranted && previous != null) {
        effective.addAll(previous);
      }
      effective.addAll(scopes);
      Set<String> merged = new LinkedHashSet<>(previous == null ? Set.of() : previous);
      merged.addAll(effective);
      grants.put(key, Set.copyOf(merged));
    }
    String code = "4/0A" + Ids.urlSafe(48);
    AuthCode authCode =
        new AuthCode(
            code,
            email,
            clientId,
            redirectUri,
            Set.copyOf(effective),
            challenge,
            challengeMethod,
            offline && (firstConsent || forcedConsent),
            clock.instant().plus(CODE_LIFETIME),
            new AtomicBoolean());
    Instant now = clock.instant();
    codes.values().removeIf(c -> now.isAfter(c.expiresAt()));
    codes.put(code, authCode);
    return authCode;
  }

  /** Exchanges a code: single use, bound to the client, redirect_uri and PKCE verifier. */
  public Issued exchange(String code, String clientId, String redirectUri, String verifier) {
    if (code == null || code.isEmpty()) {
      throw OAuthException.invalidRequest("Missing required parameter: code");
    }
    AuthCode authCode = codes.get(code);
    if (authCode == null) {
      throw OAuthException.invalidGrant("Malformed auth code.");
    }
    if (!authCode.used().compareAndSet(false, true)) {
      throw OAuthException.invalidGrant("Bad Request");
    }
    codes.remove(code);
    if (clock.instant().isAfter(authCode.expiresAt())) {
      throw OAuthException.invalidGrant("Bad Request");
    }
    if (!authCode.clientId().equals(clientId)) {
      throw new OAuthException(400, "invalid_grant", "Bad Request");
    }
    if (redirectUri == null || !redirectUri.equals(authCode.redirectUri())) {
      throw OAuthException.invalidGrant("Bad Request");
    }
    if (authCode.codeChallenge() != null) {
      if (verifier == null || verifier.isEmpty()) {
        throw OAuthException.invalidGrant("Missing code verifier.");
      }
      String expected = "S256".equals(authCode.challengeMethod()) ? s256(verifier) : verifier;
      if (!expected.equals(authCode.codeChallenge())) {
        throw OAuthException.invalidGrant("Invalid code verifier.");
      }
    }
    if (!hasGrant(authCode.email(), clientId)) {
      throw OAuthException.invalidGrant("Bad Request");
    }
    RefreshToken refresh = null;
    if (authCode.issueRefresh()) {
      refresh =
          new RefreshToken(
              "1//0" + Ids.urlSafe(72),
              authCode.email(),
              clientId,
              authCode.scopes(),
              clock.instant(),
              serials.incrementAndGet(),
              new AtomicBoolean());
      refreshTokens.put(refresh.token(), refresh);
      enforceRefreshTokenCap(authCode.email(), clientId);
    }
    AccessToken access =
        issueAccess(
            authCode.email(),
            clientId,
            authCode.scopes(),
            refresh == null ? null : refresh.token());
    return new Issued(access, refresh);
  }

  /** Over the cap, the oldest live refresh tokens of this user and client stop working. */
  private void enforceRefreshTokenCap(String email, String clientId) {
    int max = settings.maxRefreshTokens();
    if (max <= 0) {
      return;
    }
    java.util.List<RefreshToken> live =
        refreshTokens.values().stream()
            .filter(
                t -> t.email().equals(email) && t.clientId().equals(clientId) && !t.revoked().get())
            .sorted(java.util.Comparator.comparingLong(RefreshToken::serial))
            .toList();
    for (int i = 0; i < live.size() - max; i++) {
      live.get(i).revoked().set(true);
    }
  }

  public static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The refresh-token grant: a new access token, no new refresh token. */
  public AccessToken refresh(String token, String clientId) {
    if (token == null || token.isEmpty()) {
      throw OAuthException.invalidRequest("Missing required parameter: refresh_token");
    }
    RefreshToken refresh = refreshTokens.get(token);
    if (refresh == null || refresh.revoked().get()) {
      throw OAuthException.invalidGrant("Token has been expired or revoked.");
    }
    Duration lifetime = settings.refreshTokenLifetime();
    if (lifetime != null && !clock.instant().isBefore(refresh.issuedAt().plus(lifetime))) {
      throw OAuthException.invalidGrant("Token has been expired or revoked.");
    }
    if (!refresh.clientId().equals(clientId)) {
      throw new OAuthException(401, "unauthorized_client", "Unauthorized");
    }
    return issueAccess(refresh.email(), clientId, refresh.scopes(), refresh.token());
  }

  public AccessToken issueAccess(
      String email, String clientId, Set<String> scopes, String refreshToken) {
    AccessToken access =
        new AccessToken(
            "ya29.a0" + Ids.urlSafe(96),
            email,
            clientId,
            Set.copyOf(scopes),
            clock.instant().plusSeconds(ACCESS_TOKEN_SECONDS),
            refreshToken,
            new AtomicBoolean());
    accessTokens.put(access.token(), access);
    return access;
  }

  /** A valid (known, unexpired, unrevoked) access token. */
  public Optional<AccessToken> validAccessToken(String token) {
    if (token == null) {
      return Optional.empty();
    }
    AccessToken access = accessTokens.get(token);
    if (access == null || access.revoked().get() || !clock.instant().isBefore(access.expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(access);
  }

  /**
   * Revokes an access or refresh token. As at Google, this removes the whole grant of that user for
   * that client: every access and refresh token of it stops working.
   */
  public boolean revoke(String token) {
    if (token == null) {
      return false;
    }
    String email;
    String clientId;
    AccessToken access = accessTokens.get(token);
    RefreshToken refresh = refreshTokens.get(token);
    if (access != null && !access.revoked().get()) {
      email = access.email();
      clientId = access.clientId();
    } else if (refresh != null && !refresh.revoked().get()) {
      email = refresh.email();
      clientId = refresh.clientId();
    } else {
      return false;
    }
    revokeGrant(email, clientId);
    return true;
  }

  private void revokeGrant(String email, String clientId) {
    grants.remove(grantKey(email, clientId));
    accessTokens.values().stream()
        .filter(t -> t.email().equals(email) && t.clientId().equals(clientId))
        .forEach(t -> t.revoked().set(true));
    refreshTokens.values().stream()
        .filter(t -> t.email().equals(email) && t.clientId().equals(clientId))
        .forEach(t -> t.revoked().set(true));
  }

  /** As when the user removes the app in their Google account: every grant of the account goes. */
  public void revokeAllGrants(String rawEmail) {
    String email = normalizeEmail(rawEmail);
    grants.keySet().removeIf(k -> k.startsWith(email + "\n"));
    accessTokens.values().stream()
        .filter(t -> t.email().equals(email))
        .forEach(t -> t.revoked().set(true));
    refreshTokens.values().stream()
        .filter(t -> t.email().equals(email))
        .forEach(t -> t.revoked().set(true));
  }
}
