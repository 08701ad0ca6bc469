package io.calsync.gateway.limits;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's limits ({@code calsync.limits.*}).
 *
 * @param maxBodySize a request whose {@code Content-Length} is larger is refused with 413 before it
 *     is routed ({@code MAX_REQUEST_BODY_SIZE})
 * @param userRate the request rate of each authenticated user on {@code /api/**}
 */
@Validated
@ConfigurationProperties("calsync.limits")
public record LimitsProperties(
    @DefaultValue("64KB") @NotNull DataSize maxBodySize,
    @DefaultValue @NotNull @Valid UserRate userRate) {

  /**
   * A token bucket per user ({@code sub}), per gateway instance: {@code burst} requests at once,
   * refilled with {@code requests} per {@code period}.
   *
   * @param requests tokens added per period ({@code GATEWAY_USER_RATE})
   * @param period the refill period
   * @param burst the bucket's capacity ({@code GATEWAY_USER_BURST})
   * @param trackedUsers at most this many users' buckets are kept; the least recently used go first
   * @param idleExpiry a user's bucket is forgotten after this long without a request (a forgotten
   *     bucket starts full again, so this should be longer than a bucket takes to refill)
   */
  public record UserRate(
      @DefaultValue("20") @Min(1) long requests,
      @DefaultValue("1s") @NotNull Duration period,
      @DefaultValue("40") @Min(1) long burst,
      @DefaultValue("100000") @Min(1) long trackedUsers,
      @DefaultValue("10m") @NotNull Duration idleExpiry) {}
}
