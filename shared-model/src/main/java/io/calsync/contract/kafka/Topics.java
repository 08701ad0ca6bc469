package io.calsync.contract.kafka;

/** Kafka topic names. Every topic has a dead-letter twin named {@code <topic>.DLT}. */
public final class Topics {

  /** Connection lifecycle, keyed by connection id; produced by oauth-service. */
  public static final String CONNECTIONS = "calendar.connections.v1";

  /** Calendar and event changes, keyed by connection id; produced by sync-service. */
  public static final String EVENT_CHANGES = "calendar.event-changes.v1";

  /** Suffix of the dead-letter topic that takes poison messages of a topic. */
  public static final String DEAD_LETTER_SUFFIX = ".DLT";

  private Topics() {}

  public static String deadLetter(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }
}
