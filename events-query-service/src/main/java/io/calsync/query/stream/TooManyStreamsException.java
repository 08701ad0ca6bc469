package io.calsync.query.stream;

/** The user already has as many live streams open on this instance as allowed: a 429. */
final class TooManyStreamsException extends RuntimeException {

  TooManyStreamsException(int max) {
    super(
        "At most " + max + " event streams may be open at once; close one first.",
        null,
        false,
        false);
  }
}
