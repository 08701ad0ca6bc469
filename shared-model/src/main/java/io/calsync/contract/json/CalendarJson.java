package io.calsync.contract.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of the contract, used for HTTP bodies and Kafka values alike.
 *
 * <ul>
 *   <li>snake_case names;
 *   <li>{@code java.time} values as RFC 3339 strings, offsets kept as written (never normalised to
 *       UTC on read);
 *   <li>{@code null} written as {@code null} (the contract shows nulls, so they are never dropped);
 *   <li>unknown properties and unknown message {@code type}s ignored, so the contract can grow.
 * </ul>
 */
public final class CalendarJson {

  private CalendarJson() {}

  /** Applies the contract's settings to a builder, e.g. from a Spring Boot customizer. */
  public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
    return builder
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .disable(DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .changeDefaultPropertyInclusion(
            incl ->
                incl.withValueInclusion(JsonInclude.Include.ALWAYS)
                    .withContentInclusion(JsonInclude.Include.ALWAYS));
  }

  /** A new mapper with the contract's settings. */
  public static JsonMapper mapper() {
    return configure(JsonMapper.builder()).build();
  }
}
