package io.calsync.emulator.support;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.random.RandomGenerator;

/** Random identifiers shaped like Google's. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  private Ids() {}

  public static String urlSafe(int bytes) {
    byte[] buffer = new byte[bytes];
    RANDOM.nextBytes(buffer);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
  }

  public static String base32hex(int length) {
    return base32hex(length, RANDOM);
  }

  public static String base32hex(int length, RandomGenerator random) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(BASE32HEX[random.nextInt(32)]);
    }
    return id.toString();
  }

  public static boolean isBase32hex(String id) {
    if (id.length() < 5 || id.length() > 1024) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'v'))) {
        return false;
      }
    }
    return true;
  }
}
