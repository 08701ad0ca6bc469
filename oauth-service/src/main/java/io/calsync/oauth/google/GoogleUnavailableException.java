package io.calsync.oauth.google;

/** Google could not be reached, timed out, or answered 5xx. Worth retrying later. */
public class GoogleUnavailableException extends RuntimeException {

  public GoogleUnavailableException(String message) {
    super(message);
  }
}
