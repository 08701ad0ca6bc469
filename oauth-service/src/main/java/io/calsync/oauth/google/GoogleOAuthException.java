package io.calsync.oauth.google;

/** Google answered a 4xx with an OAuth error code, e.g. {@code invalid_grant}. */
public class GoogleOAuthException extends RuntimeException {

  private final String error;
  private final int status;

  public GoogleOAuthException(String operation, int status, String error) {
    super("Google " + operation + " answered " + status + " " + error);
    this.error = error;
    this.status = status;
  }

  public String error() {
    return error;
  }

  public int status() {
    return status;
  }

  public boolean isInvalidGrant() {
    return "invalid_grant".equals(error);
  }
}
