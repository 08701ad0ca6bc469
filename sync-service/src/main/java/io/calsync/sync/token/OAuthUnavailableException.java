package io.calsync.sync.token;

/** oauth-service (or the OIDC issuer for the service token) failed, timed out or is down. */
public class OAuthUnavailableException extends RuntimeException {

  public OAuthUnavailableException(String message) {
    super(message, null, false, false);
  }
}
