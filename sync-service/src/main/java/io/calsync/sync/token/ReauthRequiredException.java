package io.calsync.sync.token;

/** oauth-service answered 409 {@code reauth_required}: the Google grant is gone. */
public class ReauthRequiredException extends RuntimeException {

  public ReauthRequiredException(String message) {
    super(message, null, false, false);
  }
}
