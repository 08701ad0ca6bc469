package io.calsync.contract.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The golden JSON samples of the contract, shipped in shared-model's test-jar under {@code
 * golden/}: {@code golden/http/<name>.json} (HTTP bodies) and {@code
 * golden/kafka/<type>[.<variant>].json} (Kafka values). Other modules' tests use them as fixtures,
 * e.g. {@code GoldenSamples.kafka("event.upserted.series-master")}.
 */
public final class GoldenSamples {

  /** Every HTTP sample name (without {@code .json}). */
  public static final List<String> HTTP =
      List.of(
          "access-token-request",
          "access-token-response",
          "authorization-url-response",
          "calendar-patch-request",
          "calendar-patch-request-color",
          "calendar-response",
          "calendars-response",
          "connections-response",
          "internal-connection-response",
          "problem",
          "problem-reauth-required",
          "sync-request",
          "sync-requested-response",
          "sync-status-response",
          "upcoming-events-response");

  /**
   * Every Kafka sample name (without {@code .json}); the message type is the first two segments.
   */
  public static final List<String> KAFKA =
      List.of(
          "calendar.removed",
          "calendar.snapshot_completed",
          "calendar.snapshot_started",
          "calendar.upserted",
          "calendar.upserted.secondary",
          "connection.connected",
          "connection.disconnected",
          "connection.reauth_required",
          "event.deleted",
          "event.deleted.single",
          "event.upserted",
          "event.upserted.all-day",
          "event.upserted.moved-exception",
          "event.upserted.series-master");

  private GoldenSamples() {}

  /** {@link #KAFKA} as a JUnit {@code @MethodSource}. */
  public static List<String> kafkaSamples() {
    return KAFKA;
  }

  /** {@link #HTTP} as a JUnit {@code @MethodSource}. */
  public static List<String> httpSamples() {
    return HTTP;
  }

  /** The HTTP sample {@code golden/http/<name>.json}, e.g. {@code "upcoming-events-response"}. */
  public static String http(String name) {
    return read("golden/http/" + name + ".json");
  }

  /** The Kafka sample {@code golden/kafka/<name>.json}, e.g. {@code "event.upserted.all-day"}. */
  public static String kafka(String name) {
    return read("golden/kafka/" + name + ".json");
  }

  /**
   * The message type a Kafka sample is of: {@code "event.upserted.all-day"} → {@code
   * "event.upserted"}.
   */
  public static String kafkaType(String name) {
    String[] parts = name.split("\\.");
    return parts[0] + "." + parts[1];
  }

  static String read(String resource) {
    try (InputStream in = GoldenSamples.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No golden sample on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
