package io.calsync.oauth.support;

/** Where the tests' Google lives. Replaced by the in-process emulator once it is available. */
public final class GoogleTestSupport {

  private GoogleTestSupport() {}

  public static String baseUrl() {
    return "http://localhost:1";
  }
}
