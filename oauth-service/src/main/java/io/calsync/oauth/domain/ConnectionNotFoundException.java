package io.calsync.oauth.domain;

/** No such connection, or it is someone else's, or it was disconnected: all look the same (404). */
public class ConnectionNotFoundException extends RuntimeException {

  public ConnectionNotFoundException(Object id) {
    super("Connection " + id + " was not found.");
  }
}
