package io.calsync.oauth.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** RFC 7636 PKCE (S256) and the random values of the connect flow. */
final class Pkce {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Pkce() {}

  /** 32 random bytes, base64url without padding (43 characters, within RFC 7636's 43–128). */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return URL.encodeToString(bytes);
  }

  /** {@code BASE64URL(SHA256(ASCII(verifier)))}. */
  static String challenge(String verifier) {
    return URL.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The stored form of a state: its SHA-256 in hex. */
  static String hashState(String state) {
    return HexFormat.of().formatHex(sha256(state.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
