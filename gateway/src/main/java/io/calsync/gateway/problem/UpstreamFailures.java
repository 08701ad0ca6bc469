package io.calsync.gateway.problem;

import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Classifies the exceptions that a failed upstream call leaves behind. */
public final class UpstreamFailures {

  private UpstreamFailures() {}

  /**
   * True for a time limiter's {@link TimeoutException} and for the HTTP client's response timeout,
   * which the gateway reports as a 504 {@link ResponseStatusException}.
   */
  public static boolean isTimeout(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
      if (t instanceof ResponseStatusException rse
          && rse.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
        return true;
      }
    }
    return false;
  }

  public static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Each exception of the cause chain, as {@code class: message}, outermost first; for a log line
   * (an I/O message names a host and port, never a token).
   */
  public static String describe(Throwable ex) {
    if (ex == null) {
      return "no failure recorded";
    }
    StringBuilder causes = new StringBuilder();
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (!causes.isEmpty()) {
        causes.append(" <- ");
      }
      causes.append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return causes.toString();
  }
}
