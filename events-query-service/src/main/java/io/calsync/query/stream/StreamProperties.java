package io.calsync.query.stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The live stream ({@code calsync.query.stream.*}).
 *
 * @param heartbeat interval of the comment heartbeat that keeps idle connections open
 * @param maxOpenPerUser live streams one user may have open at once on one instance; one more is a
 *     429
 * @param retryAfter the {@code Retry-After} of that 429 (a stream frees its slot when it is closed,
 *     which the service cannot foresee)
 * @param listener the one database connection that listens for committed changes
 */
@ConfigurationProperties("calsync.query.stream")
@Validated
record StreamProperties(
    @DefaultValue("15s") @NotNull Duration heartbeat,
    @DefaultValue("5") @Min(1) int maxOpenPerUser,
    @DefaultValue("10s") @NotNull Duration retryAfter,
    @DefaultValue @NotNull @Valid Listener listener) {

  /**
   * @param reconnectMinBackoff first wait before listening again after the connection was lost
   * @param reconnectMaxBackoff largest wait between attempts (jittered exponential backoff)
   * @param keepalive how often the idle connection is checked with a query, so a connection that
   *     died without a word is noticed; also that query's timeout
   */
  record Listener(
      @DefaultValue("500ms") @NotNull Duration reconnectMinBackoff,
      @DefaultValue("30s") @NotNull Duration reconnectMaxBackoff,
      @DefaultValue("30s") @NotNull Duration keepalive) {}
}
