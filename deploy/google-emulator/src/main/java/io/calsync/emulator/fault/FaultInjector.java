package io.calsync.emulator.fault;

import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.OAuthException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/** Injected faults, applied per named operation (or {@code *}) a given number of times. */
public final class FaultInjector {

  /** Operations whose errors use the OAuth shape {@code {"error","error_description"}}. */
  public static final Set<String> OAUTH_OPERATIONS = Set.of("token", "revoke", "userinfo");

  private final List<Fault> faults = new CopyOnWriteArrayList<>();

  public void add(Fault fault) {
    faults.add(fault);
  }

  public void clear() {
    faults.clear();
  }

  /**
   * Empty when no fault applies; otherwise completes empty after the fault's delay (latency-only
   * fault, status 0) or errors with the Google-shaped exception.
   */
  public Mono<Void> apply(String operation) {
    for (Fault fault : faults) {
      if (fault.matches(operation) && fault.take()) {
        Mono<Void> delay =
            fault.delayMillis() > 0
                ? Mono.delay(Duration.ofMillis(fault.delayMillis())).then()
                : Mono.empty();
        if (fault.status() == 0) {
          return delay;
        }
        return delay.then(Mono.error(() -> toException(operation, fault)));
      }
    }
    faults.removeIf(f -> f.remaining() == 0);
    return Mono.empty();
  }

  static RuntimeException toException(String operation, Fault fault) {
    int status = fault.status();
    if (OAUTH_OPERATIONS.contains(operation)) {
      String error =
          fault.reason() != null
              ? fault.reason()
              : switch (status) {
                case 400 -> "invalid_request";
                case 401 -> "invalid_client";
                case 429 -> "rate_limit_exceeded";
                default -> status >= 500 ? "internal_failure" : "access_denied";
              };
      return new OAuthException(status, error, "Injected fault");
    }
    String reason =
        fault.reason() != null
            ? fault.reason()
            : switch (status) {
              case 404 -> "notFound";
              case 403, 429 -> "rateLimitExceeded";
              case 410 -> "fullSyncRequired";
              default -> status >= 500 ? "backendError" : "invalid";
            };
    String domain =
        switch (reason) {
          case "rateLimitExceeded",
              "userRateLimitExceeded",
              "quotaExceeded",
              "dailyLimitExceeded" ->
              "usageLimits";
          case "fullSyncRequired", "timeRangeEmpty", "updatedMinTooLongAgo" -> "calendar";
          default -> "global";
        };
    String message =
        switch (reason) {
          case "rateLimitExceeded" -> "Rate Limit Exceeded";
          case "userRateLimitExceeded" -> "User Rate Limit Exceeded";
          case "quotaExceeded" -> "Calendar usage limits exceeded.";
          case "dailyLimitExceeded" -> "Daily Limit Exceeded";
          case "backendError" -> "Backend Error";
          case "notFound" -> "Not Found";
          case "fullSyncRequired" -> "Sync token is no longer valid, a full sync is required.";
          case "insufficientPermissions" -> "Insufficient Permission";
          case "authError" -> "Invalid Credentials";
          default -> "Injected fault: " + reason;
        };
    return new ApiException(status, domain, reason, message, null, null);
  }
}
