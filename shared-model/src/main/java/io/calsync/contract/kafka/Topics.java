package io.calsync.contract.kafka;

/** Kafka topic names. Every topic has a dead-letter twin named {@code <topic>.DLT}. */
public final class Topics {

  /** Connection lifecycle, keyed by connection id; produced by oauth-service. */
  public static final String CONNECTIONS = "calendar.connections.v1";

  /** Calendar and event changes, keyed by connection id; produced by sync-service. */
  public static final String EVENT_CHANGES = "calendar.event-changes.v1";

  /** Suffix of the dead-letter topic that takes poison messages of a topic. */
  public static final String DEAD_LETTER_SUFFIX = ".DLT";

  /**
   * The header of a record an operator re-drove from a dead-letter topic into its source topic:
   * where it came from, {@code <dead-letter topic>-<partition>@<offset>}. A re-drive skips a
   * dead-lettered record that carries it (it failed again after a re-drive), so a poison record
   * never circles. Both services that consume {@link #CONNECTIONS} write its dead-letter topic, and
   * both re-drives follow this rule.
   */
  public static final String REDRIVEN_FROM_HEADER = "calsync_redriven_from";

  private Topics() {}

  public static String deadLetter(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }
}
