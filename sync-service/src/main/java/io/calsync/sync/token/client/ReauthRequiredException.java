package io.calsync.sync.token.client;

/** oauth-service answered 409 {@code reauth_required}: the Google grant is gone. */
public class ReauthRequiredException extends RuntimeException {

  public ReauthRequiredException(String message) {
    super(message, null, false, false);
  }
}
