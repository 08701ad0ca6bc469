package io.calsync.oauth.connect;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The web-client path to come back to after connecting. Only a relative path of the web client is
 * accepted (a single leading {@code /}, no scheme, host, {@code //}, backslash, fragment or control
 * character), so the callback can never be turned into an open redirect.
 */
final class ReturnTo {

  static final int MAX_LENGTH = 512;

  private ReturnTo() {}

  /** Empty when {@code value} is not an acceptable return path. */
  static Optional<String> validate(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > MAX_LENGTH
        || value.charAt(0) != '/'
        || value.contains("//")
        || value.contains("\\")
        || value.contains("#")
        || value.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(value);
      if (uri.isAbsolute()
          || uri.getRawAuthority() != null
          || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/")) {
        return Optional.empty();
      }
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    return Optional.of(value);
  }
}
