package io.calsync.sync.google;

import com.google.api.client.http.HttpResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the Google Calendar API does for operators: {@code calsync_google_requests_seconds} by
 * {@code operation} and {@code status} (every request, retries included, in a few fixed latency
 * buckets) and {@code calsync_google_retries_total} by {@code reason}. Labels come from bounded
 * sets only: the client's operation names, a list of HTTP statuses (others as {@code 4xx} or {@code
 * 5xx}), {@code timeout} and {@code io_error}.
 */
final class GoogleMeters {

  static final String TIMEOUT = "timeout";
  static final String IO_ERROR = "io_error";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };
  private static final Set<Integer> STATUSES =
      Set.of(200, 204, 400, 401, 403, 404, 409, 410, 412, 429, 500, 502, 503, 504);

  private final MeterRegistry meters;

  GoogleMeters(MeterRegistry meters) {
    this.meters = meters;
    // the usual reasons exist from the start, at 0, for dashboards and alerts
    for (String reason : List.of("rate_limited", "server_error", TIMEOUT, IO_ERROR)) {
      retries(reason);
    }
  }

  /** One request that answered {@code status} (0 when the client saw none: a success). */
  void answered(String operation, int status, long nanos) {
    request(operation, status == 0 ? "200" : status(status), nanos);
  }

  /** One request that failed with {@code e}, as the Java client threw it. */
  void failed(String operation, Throwable e, long nanos) {
    request(operation, failure(e), nanos);
  }

  /** A transient failure is retried. */
  void retry(Throwable failure) {
    retries(retryReason(failure)).increment();
  }

  private Counter retries(String reason) {
    return Counter.builder("calsync.google.retries")
        .description("Google requests retried after a transient failure, by reason")
        .tag("reason", reason)
        .register(meters);
  }

  private void request(String operation, String status, long nanos) {
    Timer.builder("calsync.google.requests")
        .description("Google Calendar API requests, by operation and HTTP status")
        .tag("operation", operation)
        .tag("status", status)
        .serviceLevelObjectives(BUCKETS)
        .register(meters)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  static String status(int status) {
    return STATUSES.contains(status) ? Integer.toString(status) : (status / 100) + "xx";
  }

  /** The status label of a failure: the HTTP status, or {@code timeout} / {@code io_error}. */
  static String failure(Throwable e) {
    if (e instanceof HttpResponseException http) {
      return status(http.getStatusCode());
    }
    if (e instanceof InterruptedIOException) {
      return TIMEOUT; // SocketTimeoutException and HttpTimeoutException among them
    }
    return e instanceof IOException ? IO_ERROR : "error";
  }

  /** {@code rate_limited} (429, 403 rate limits), {@code server_error} (5xx), or the I/O kind. */
  static String retryReason(Throwable failure) {
    if (!(failure instanceof GoogleCallException g)) {
      return "other";
    }
    if (g.status() == 429 || (g.status() == 403 && GoogleErrors.RATE_LIMITS.contains(g.reason()))) {
      return "rate_limited";
    }
    if (g.status() >= 500) {
      return "server_error";
    }
    if (g.status() == 0 && g.reason() != null) {
      return g.reason();
    }
    return "other";
  }
}
