package io.calsync.sync.token;

/** No access token could be had right now (oauth-service or the OIDC issuer failed or is down). */
public class TokenUnavailableException extends RuntimeException {

  public TokenUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
