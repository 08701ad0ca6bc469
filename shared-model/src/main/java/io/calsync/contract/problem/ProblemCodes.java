package io.calsync.contract.problem;

/**
 * Stable machine-readable {@code code} values of problem+json bodies (RFC 9457). The {@code type}
 * of a problem is {@link #TYPE_BASE} followed by its code.
 */
public final class ProblemCodes {

  public static final String TYPE_BASE = "https://calsync.io/problems/";

  /**
   * 400: a parameter or body field is missing or malformed; the body's {@code parameter} names it.
   */
  public static final String INVALID_PARAMETER = "invalid_parameter";

  /** 400: the body is not JSON, or not the expected shape. */
  public static final String INVALID_BODY = "invalid_body";

  /** 401: no valid bearer token. */
  public static final String UNAUTHORIZED = "unauthorized";

  /** 403: authenticated, but not allowed. */
  public static final String FORBIDDEN = "forbidden";

  /** 404: no such resource, or it belongs to someone else. */
  public static final String NOT_FOUND = "not_found";

  /** 405: method not supported on this path. */
  public static final String METHOD_NOT_ALLOWED = "method_not_allowed";

  /** 409: the connection's Google grant is gone; the user must connect again. */
  public static final String REAUTH_REQUIRED = "reauth_required";

  /** 409: the request conflicts with the resource's state. */
  public static final String CONFLICT = "conflict";

  /** 413: the request body is larger than the platform accepts. */
  public static final String PAYLOAD_TOO_LARGE = "payload_too_large";

  /** 429: too many requests in a time window; {@code Retry-After} says when to try again. */
  public static final String RATE_LIMITED = "rate_limited";

  /**
   * 429: too many things open at once (pending OAuth flows, open event streams); finishing or
   * closing one frees a slot, and {@code Retry-After} says when one frees up by itself at the
   * latest.
   */
  public static final String LIMIT_EXCEEDED = "limit_exceeded";

  /** 503: a dependency (a service, the database, Kafka, Google, Vault) is unavailable. */
  public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";

  /** 504: a dependency did not answer in time. */
  public static final String UPSTREAM_TIMEOUT = "upstream_timeout";

  /** 500: a bug; the body never says more. */
  public static final String INTERNAL_ERROR = "internal_error";

  private ProblemCodes() {}

  public static String type(String code) {
    return TYPE_BASE + code;
  }
}
