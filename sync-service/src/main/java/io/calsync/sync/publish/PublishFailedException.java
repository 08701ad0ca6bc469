package io.calsync.sync.publish;

/** Kafka did not acknowledge a message: whatever depended on it (a sync token) is not stored. */
public class PublishFailedException extends RuntimeException {

  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
