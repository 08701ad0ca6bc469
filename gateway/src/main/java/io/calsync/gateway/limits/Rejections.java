package io.calsync.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counts the requests the gateway's own limits refused before routing, as {@code
 * calsync_gateway_rejections_total} with {@code reason} {@code rate_limited} or {@code
 * body_too_large}: the operator's signal that a client floods or a limit is set too low.
 */
@Component
class Rejections {

  private final Counter rateLimited;
  private final Counter bodyTooLarge;

  Rejections(MeterRegistry meters) {
    this.rateLimited = counter(meters, "rate_limited");
    this.bodyTooLarge = counter(meters, "body_too_large");
  }

  void rateLimited() {
    rateLimited.increment();
  }

  void bodyTooLarge() {
    bodyTooLarge.increment();
  }

  private static Counter counter(MeterRegistry meters, String reason) {
    return Counter.builder("calsync.gateway.rejections")
        .description("Requests refused by the gateway's own limits before routing")
        .tag("reason", reason)
        .register(meters);
  }
}
