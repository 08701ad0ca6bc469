package io.calsync.sync.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import io.calsync.sync.google.GoogleCallException.Kind;
import java.io.IOException;
import java.util.Set;

/**
 * Maps the Java client's failures to what the engine does about them, by HTTP status and, for a
 * 403, Google's {@code reason}.
 */
final class GoogleErrors {

  static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded");
  private static final Set<String> QUOTAS = Set.of("quotaExceeded", "dailyLimitExceeded");

  private GoogleErrors() {}

  static Throwable translate(String operation, Throwable e) {
    if (e instanceof GoogleCallException) {
      return e;
    }
    if (e instanceof HttpResponseException http) {
      int status = http.getStatusCode();
      String reason = reason(http);
      return new GoogleCallException(
          kind(status, reason),
          status,
          reason,
          operation + " answered " + status + (reason == null ? "" : " " + reason));
    }
    if (e instanceof IOException) {
      // the reason tells a timeout from another I/O failure (calsync_google_retries_total)
      return new GoogleCallException(
          Kind.TRANSIENT,
          0,
          GoogleMeters.failure(e),
          operation + " failed: " + e.getClass().getSimpleName());
    }
    return e;
  }

  static Kind kind(int status, String reason) {
    if (status == 410) {
      return Kind.FULL_SYNC_REQUIRED;
    }
    if (status == 401) {
      return Kind.UNAUTHORIZED;
    }
    if (status == 404) {
      return Kind.NOT_FOUND;
    }
    if (status == 429 || status >= 500) {
      return Kind.TRANSIENT;
    }
    if (status == 403 && reason != null) {
      if (RATE_LIMITS.contains(reason)) {
        return Kind.TRANSIENT;
      }
      if (QUOTAS.contains(reason)) {
        return Kind.QUOTA_EXCEEDED;
      }
    }
    return Kind.PERMANENT;
  }

  private static String reason(HttpResponseException e) {
    if (e instanceof GoogleJsonResponseException json) {
      GoogleJsonError details = json.getDetails();
      if (details != null && details.getErrors() != null && !details.getErrors().isEmpty()) {
        return details.getErrors().get(0).getReason();
      }
    }
    return null;
  }
}
